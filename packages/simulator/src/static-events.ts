// Skill assessments and certificates for the static appraisal (docs/static-appraisal.md): a
// member's certificate history once at the start of a run, then assessments through the months.
// Drawn from their own random stream, so every other event of a seed stays as it was.
import type { SourceEvent, Skill } from '@cs/contracts';
import { DAY_MS as DAY, STATIC_DEFAULTS, type Role } from '@cs/appraisal';
import type { Rng } from './prng.ts';

/** The skills each role is assessed on (its work, safety for the field roles). */
const ASSESSED: Record<Role, readonly Skill[]> = {
  HOTLINE_AGENT: ['COMMUNICATION', 'SERVICE_ETIQUETTE', 'BUSINESS_KNOWLEDGE'],
  HALL_CLERK: ['SERVICE_ETIQUETTE', 'COMMUNICATION', 'BUSINESS_KNOWLEDGE'],
  METER_READER: ['SAFETY', 'BUSINESS_KNOWLEDGE', 'TECHNICAL'],
  BILLING_CLERK: ['BUSINESS_KNOWLEDGE', 'PROCESS_EFFICIENCY'],
  REPAIR_CREW: ['SAFETY', 'TECHNICAL'],
  WORK_ORDER_CLERK: ['BUSINESS_KNOWLEDGE', 'PROCESS_EFFICIENCY'],
};
/** Special-operations certificates (electricians) run 6 years, the others 4 (project defaults). */
const VALID_YEARS: Readonly<Record<string, number>> = { LV_ELECTRICIAN: 6, HV_ELECTRICIAN: 6 };
const YEAR = 365 * DAY;

export interface StaticMember {
  staffId: string;
  role: Role;
  /** the member's latent ability, 0..1 (the simulator's Perf.g) */
  g: number;
}

export interface StaticWindow {
  /** first instant events may be reported at */
  from: number;
  /** the month's end (exclusive) */
  monthEnd: number;
  /** the run's first month: the certificate history is reported then */
  first: boolean;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The member's static events of one month (`id` gives an event id, `seq` a document number). */
export function staticEvents(rng: Rng, m: StaticMember, w: StaticWindow, id: () => string, seq: (prefix: string) => string): SourceEvent[] {
  const out: SourceEvent[] = [];
  const span = w.monthEnd - w.from;
  if (span <= 0) return out;
  const reportedAt = () => w.from + Math.floor(rng.range(0, Math.min(span, 3 * DAY)));
  if (w.first) {
    for (const qualificationId of STATIC_DEFAULTS.requiredByRole[m.role] ?? []) {
      if (!rng.chance(0.8 + 0.15 * m.g)) continue; // weaker members lack one more often
      const years = VALID_YEARS[qualificationId] ?? 4;
      // Granted up to `years` ago: about one in 20 expires within two months of the run's start.
      const grantedAt = w.from - Math.floor(rng.range(30 * DAY, years * YEAR));
      const occurredAt = reportedAt();
      out.push({
        kind: 'QualificationGranted', eventId: id(), occurredAt, staffId: m.staffId, qualificationId,
        grantedAt, expiresAt: grantedAt + years * YEAR, certificateId: seq('CERT'),
      });
      if (rng.chance(0.02)) {
        out.push({ kind: 'QualificationRevoked', eventId: id(), occurredAt: occurredAt + DAY, staffId: m.staffId, qualificationId, revokedAt: occurredAt + DAY });
      }
    }
  }
  // About one assessment in three months per member, on a skill of their role.
  if (rng.chance(0.35)) {
    const assessedAt = w.from + Math.floor(rng.range(0, span));
    const occurredAt = Math.min(w.monthEnd - 1, assessedAt + Math.floor(rng.range(0, 2 * DAY)));
    out.push({
      kind: 'SkillAssessed', eventId: id(), occurredAt, staffId: m.staffId, skill: rng.pick(ASSESSED[m.role]),
      score: round1(Math.min(100, Math.max(0, rng.normal(52 + 42 * m.g, 8)))), assessedAt, assessmentId: seq('ASM'),
    });
  }
  return out;
}
