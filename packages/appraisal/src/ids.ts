// Deterministic ids: the project's one hash (hasher.ts: SHA-256 truncated to 128 bits) of the
// inputs. Same inputs => same id; used for de-duplication.

import { Hasher } from './hasher.ts';
import type { PeriodRef } from './periods.ts';
import type { Eligibility, Scorecard } from './scorecard.ts';
import { hashStaticProfile, type StaticProfile } from './static-profile.ts';
import { hashTrend, type Trend } from './trend.ts';

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

// ---------------------------------------------------------------------------------------------
// Scorecard ids (appraisal/4: SHA-256; appraisal/3 was a home-made 128-bit hash of the same
// inputs): a hash of what the card is computed from, not of the card. The engine is a function of
// its inputs (a member's counters, workload reference, previous composite; their team's ranking;
// the rules), so the same inputs give the same id (events.md) and the same card; computedAt is
// left out on purpose, so a re-computation of the same inputs has the same id and consumers can
// de-duplicate. The rules enter as their content (not only their version), so rules changed under
// the same rulesVersion still give new ids. Hashing the ~50 inputs is far cheaper than the ~155
// numbers of a finished card read back from its objects.

/** The hash of one scoring run's common inputs (period, rules version, rules), which every id of the run starts with. */
export type AppraisalPrefix = Uint8Array;

export function appraisalPrefix(period: PeriodRef, rulesVersion: string, rules: unknown): AppraisalPrefix {
  return new Hasher()
    .str('appraisal/4')
    .str(period.kind)
    .str(period.start)
    .str(period.timeZone)
    .str(rulesVersion)
    .str(canonicalJson(rules))
    .digest();
}

/** A card's fields that its id hashes as they are; the rest of the card follows from its inputs. */
export type CardIdFields = Pick<Scorecard, 'staffId' | 'teamId' | 'role' | 'status' | 'revision' | 'grade' | 'teamRank' | 'teamSize'>;

const ID = new Hasher();

/**
 * The appraisalId of `card`, scored in the run of `prefix` from the counters row[off .. off +
 * count) the kernel read (loadCounters), its workload reference and its previous composite
 * (and `corrections`, the canonical JSON of the member's correction notes, when there are any).
 */
export function appraisalIdOf(
  prefix: AppraisalPrefix,
  card: CardIdFields,
  row: Float64Array,
  off: number,
  count: number,
  workloadReference: number,
  previousComposite: number | null,
  corrections?: string,
  trend?: Trend,
  staticProfile?: StaticProfile,
): string {
  const h = ID.reset()
    .raw(prefix)
    .nums(row, off, count)
    .num(workloadReference)
    .num(previousComposite)
    .num(card.teamRank)
    .num(card.teamSize)
    .num(card.revision)
    .str(card.staffId)
    .str(card.teamId)
    .str(card.role)
    .str(card.status)
    .str(card.grade);
  // The member's corrections (their notes, canonical JSON) are inputs too; absent, the id is the
  // one appraisal/4 always gave.
  if (corrections !== undefined) h.str(corrections);
  // A MONTH card's trend follows from the member's kept months (ScoreOptions.history): inputs too.
  if (trend !== undefined) hashTrend(h, trend);
  // The member's static records (docs/static-appraisal.md), through the profile they give as of
  // the period's end; absent (no records), the id is the one it always was.
  if (staticProfile !== undefined) hashStaticProfile(h, staticProfile);
  return h.hex();
}

/** eligibility/2: the hash of the record's fields (eligibility/1 was a home-made hash). */
export function eligibilityIdOf(e: Omit<Eligibility, 'eligibilityId'>): string {
  const p = e.period;
  const h = ID.reset()
    .str('eligibility/2')
    .str(e.appraisalId)
    .str(e.staffId)
    .str(e.teamId)
    .str(p.kind)
    .str(p.start)
    .str(p.timeZone)
    .str(e.grade)
    .num(e.eligible ? 1 : 0)
    .num(e.bonusCoefficient)
    .num(e.improvementPlanRequired ? 1 : 0);
  for (const list of [e.awards, e.vetoReasons, e.trainingRecommendations]) {
    h.num(list.length);
    for (const x of list) h.str(x);
  }
  return h.hex();
}
