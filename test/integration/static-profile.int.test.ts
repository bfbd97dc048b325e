// Issue #17 item 3 end to end (docs/static-appraisal.md): skill assessments and qualifications sent
// to the workforce topic go through the real aggregator (Redis st:<staffId>) and scorer (Kafka),
// and last month's FINAL cards carry the static profile and the recommendations worked out here by
// hand from the events; `cs-appraisal explain` shows the same profile. Every date derives from the
// test clock: last month is closed on any day the suite runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATIC_RECORDS_KEPT, type Period } from '@cs/appraisal';
import { CounterStore } from '@cs/counter-store';
import type { SourceEvent, StaffProfile } from '@cs/contracts';
import { TEST_CLOCK } from '../harness/clock.ts';
import { runCli } from '../harness/cli.ts';
import { redisFor, waitFor } from '../harness/index.ts';
import { latestOf } from '../harness/outputs.ts';
import { startPipeline, type Pipeline } from '../harness/pipeline.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const M: Period = TEST_CLOCK.lastMonth();
/** An instant `days` days (and hours) after the start of M. */
const inM = (days: number, hours = 10) => M.startMs + days * DAY + hours * HOUR;
const END = M.endMs; // asOf of every card of M

// Three meter readers (required: LV_ELECTRICIAN and METER_BILLING by default). Each does one
// reading on time and one full shift and gets a rating of 95: workload 83.3, taskCompletion 100 and
// conduct 100, so no dimension is below 70 and the dynamic recommendations are empty for all three.
const STAFF = ['R1', 'R2', 'R3'];
const ROSTER: StaffProfile[] = STAFF.map((staffId) => ({ staffId, teamId: 'TM', role: 'METER_READER', active: true, updatedAt: M.startMs - DAY, effectiveFrom: null }));
let n = 0;
const eventId = () => `sp-${(n++).toString().padStart(4, '0')}`;
const work: SourceEvent[] = STAFF.flatMap((staffId): SourceEvent[] => [
  { kind: 'MeterReadingAssigned', eventId: eventId(), occurredAt: inM(1), taskId: `MR-${staffId}`, staffId, dueAt: inM(8) },
  { kind: 'MeterReadingCompleted', eventId: eventId(), occurredAt: inM(4), taskId: `MR-${staffId}`, staffId, dueAt: inM(8), method: 'MANUAL' },
  { kind: 'ShiftAttended', eventId: eventId(), occurredAt: inM(3, 18), staffId, shiftId: `SH-${staffId}`, scheduledMinutes: 480, attendedMinutes: 480, late: false },
  { kind: 'SupervisorRated', eventId: eventId(), occurredAt: inM(5, 16), staffId, raterId: 'MGR-1', score: 95 },
]);

// R1: SAFETY assessed 82 long ago, then 64 in M (latest: 64 < 70); LV_ELECTRICIAN expiring 44 days
// after M's end; METER_BILLING revoked in M; a COMMUNICATION assessment after M's end (not on M's card).
// R2: both certificates without expiry, BUSINESS_KNOWLEDGE 90. R3: nothing (both missing).
const LV_EXPIRES = END + 44 * DAY;
const R1_SAFETY_AT = inM(5);
const statics: SourceEvent[] = [
  { kind: 'SkillAssessed', eventId: eventId(), occurredAt: inM(1), staffId: 'R1', skill: 'SAFETY', score: 82, assessedAt: M.startMs - 200 * DAY, assessmentId: 'ASM-R1-1' },
  { kind: 'SkillAssessed', eventId: eventId(), occurredAt: inM(6), staffId: 'R1', skill: 'SAFETY', score: 64, assessedAt: R1_SAFETY_AT, assessmentId: 'ASM-R1-2' },
  { kind: 'QualificationGranted', eventId: eventId(), occurredAt: inM(1), staffId: 'R1', qualificationId: 'LV_ELECTRICIAN', grantedAt: M.startMs - 900 * DAY, expiresAt: LV_EXPIRES, certificateId: 'CERT-R1-LV' },
  { kind: 'QualificationGranted', eventId: eventId(), occurredAt: inM(1), staffId: 'R1', qualificationId: 'METER_BILLING', grantedAt: M.startMs - 400 * DAY, expiresAt: null, certificateId: 'CERT-R1-MB' },
  { kind: 'QualificationRevoked', eventId: eventId(), occurredAt: inM(10), staffId: 'R1', qualificationId: 'METER_BILLING', revokedAt: inM(10) },
  { kind: 'SkillAssessed', eventId: eventId(), occurredAt: END + 2 * HOUR, staffId: 'R1', skill: 'COMMUNICATION', score: 50, assessedAt: END + HOUR, assessmentId: 'ASM-R1-3' },
  { kind: 'QualificationGranted', eventId: eventId(), occurredAt: inM(2), staffId: 'R2', qualificationId: 'LV_ELECTRICIAN', grantedAt: M.startMs - 100 * DAY, expiresAt: null, certificateId: 'CERT-R2-LV' },
  { kind: 'QualificationGranted', eventId: eventId(), occurredAt: inM(2), staffId: 'R2', qualificationId: 'METER_BILLING', grantedAt: M.startMs - 100 * DAY, expiresAt: null, certificateId: 'CERT-R2-MB' },
  { kind: 'SkillAssessed', eventId: eventId(), occurredAt: inM(2), staffId: 'R2', skill: 'BUSINESS_KNOWLEDGE', score: 90, assessedAt: inM(2, 8), assessmentId: 'ASM-R2-1' },
];
// R2 is also assessed on COMMUNICATION every day for the 70 days before M (75 each time): with the
// 3 records above, 73 records, of which 69 COMMUNICATION ones are superseded; the aggregator keeps
// 64 (STATIC_RECORDS_KEPT), dropping the 9 oldest, and the profile shows the latest.
const R2_COMM = Array.from({ length: 70 }, (_, k): SourceEvent => ({
  kind: 'SkillAssessed', eventId: eventId(), occurredAt: inM(3), staffId: 'R2', skill: 'COMMUNICATION', score: 75, assessedAt: M.startMs - (70 - k) * DAY, assessmentId: `ASM-R2-C${String(k).padStart(2, '0')}`,
}));

// ---- Worked out by hand (docs/static-appraisal.md §3-4) ----
const EXPECTED = {
  R1: {
    profile: {
      asOf: END,
      skills: [{ skill: 'SAFETY', score: 64, assessedAt: R1_SAFETY_AT }],
      qualifications: [{ qualificationId: 'LV_ELECTRICIAN', grantedAt: M.startMs - 900 * DAY, expiresAt: LV_EXPIRES, certificateId: 'CERT-R1-LV' }],
      missing: ['METER_BILLING'],
      expiring: [{ qualificationId: 'LV_ELECTRICIAN', expiresAt: LV_EXPIRES, daysLeft: 44 }],
      belowScore: ['SAFETY'],
    },
    // SAFETY (64 < 70, and LV_ELECTRICIAN expiring), BUSINESS_KNOWLEDGE (METER_BILLING missing)
    training: ['BUSINESS_KNOWLEDGE', 'SAFETY'],
  },
  R2: {
    profile: {
      asOf: END,
      skills: [{ skill: 'BUSINESS_KNOWLEDGE', score: 90, assessedAt: inM(2, 8) }, { skill: 'COMMUNICATION', score: 75, assessedAt: M.startMs - DAY }],
      qualifications: [
        { qualificationId: 'LV_ELECTRICIAN', grantedAt: M.startMs - 100 * DAY, expiresAt: null, certificateId: 'CERT-R2-LV' },
        { qualificationId: 'METER_BILLING', grantedAt: M.startMs - 100 * DAY, expiresAt: null, certificateId: 'CERT-R2-MB' },
      ],
      missing: [],
      expiring: [],
      belowScore: [],
    },
    training: [],
  },
  R3: {
    profile: { asOf: END, skills: [], qualifications: [], missing: ['LV_ELECTRICIAN', 'METER_BILLING'], expiring: [], belowScore: [] },
    training: ['BUSINESS_KNOWLEDGE', 'SAFETY'],
  },
} as const;

let pipeline: Pipeline;

beforeAll(async () => {
  // Each static event twice (a producer retry): counted once.
  pipeline = await startPipeline('staticprofile', [...ROSTER, ...work, ...statics, ...R2_COMM, ...statics]);
}, 120_000);

afterAll(() => pipeline?.stop());

async function finals() {
  await waitFor(async () => {
    const c = latestOf(pipeline.outputs.cards, M.id);
    return c.size === 3 && [...c.values()].every((x) => x.status !== 'PROVISIONAL' && x.staticProfile !== null) && latestOf(pipeline.outputs.elig, M.id).size === 3;
  }, 180_000, `3 FINAL cards with a static profile and 3 eligibility records of ${M.id}\n${pipeline.logs()}`);
  return { cards: latestOf(pipeline.outputs.cards, M.id), elig: latestOf(pipeline.outputs.elig, M.id) };
}

describe('static profile through the real stack', () => {
  it("last month's FINAL cards carry the profile as of the month's end, and the recommendations use it", async () => {
    const { cards, elig } = await finals();
    for (const staffId of STAFF) {
      const want = EXPECTED[staffId as keyof typeof EXPECTED];
      const c = cards.get(staffId)!;
      expect({ staffId, profile: c.staticProfile }).toEqual({ staffId, profile: want.profile });
      expect({ staffId, training: elig.get(staffId)!.trainingRecommendations }).toEqual({ staffId, training: want.training });
      // the dynamic figures are the profile's neighbours, not its product: workload 0.25 units
      // against a median of 0.25 -> 100 × 0.25 / (1.2 × 0.25) = 83.3; taskCompletion 100, conduct
      // 100; METER_READER weights W 20, K 20, D 10 -> (20 × 83.3 + 20 × 100 + 10 × 100) / 50 = 93.3
      expect({ staffId, composite: c.composite, dims: [c.dimensions.workload, c.dimensions.taskCompletion, c.dimensions.conduct] }).toEqual({ staffId, composite: 93.3, dims: [83.3, 100, 100] });
    }
  });

  it('a member keeps at most 64 static records: the oldest superseded ones are pruned', async () => {
    await finals();
    const redis = redisFor();
    try {
      const store = new CounterStore(redis, { prefix: pipeline.env.CS_KEY_PREFIX!, dedupeHorizonMs: 48 * HOUR, maxLatenessDays: 62 });
      const r2 = (await store.staticState()).get('R2')!;
      expect(r2).toHaveLength(STATIC_RECORDS_KEPT);
      const kept = r2.filter((r) => r.kind === 'assessment' && r.skill === 'COMMUNICATION').map((r) => (r as { assessmentId: string }).assessmentId).sort();
      // 70 − 9 = 61 COMMUNICATION records: C09 … C69
      expect(kept).toEqual(R2_COMM.slice(9).map((e) => (e as { assessmentId: string }).assessmentId));
    } finally {
      redis.disconnect();
    }
  });

  it('cs-appraisal explain shows the same profile', async () => {
    await finals();
    const r = await runCli(['explain', '--staff', 'R1', '--period', M.id, '--json'], { ...pipeline.env, LOG_LEVEL: 'warn' }, undefined, 90_000);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).staticProfile).toEqual(EXPECTED.R1.profile);
    const text = await runCli(['explain', '--staff', 'R1', '--period', M.id], { ...pipeline.env, LOG_LEVEL: 'warn' }, undefined, 90_000);
    expect(text.stdout).toContain('missing for the role: METER_BILLING');
    expect(text.stdout).toContain('expiring: LV_ELECTRICIAN in 44 days');
  });
});
