// Deterministic ids: the SHA-256 (node:crypto) of the inputs, truncated to 128 bits (32 hex
// digits). Same inputs => same id; used for de-duplication. The inputs are framed by IdInput: a
// string as its length then its UTF-16 units, a number as its float64 bits.

import { hash } from 'node:crypto';
import type { PeriodRef } from './periods.ts';
import type { Eligibility, Scorecard } from './scorecard.ts';

/** The first 128 bits of the SHA-256 of `data`, as 32 hex digits. */
function hex128(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex').slice(0, 32);
}

// Typed arrays use platform byte order; every platform Node runs on is little-endian.
const f64 = new Float64Array(1);
const one = new Float64Array(1);
const oneWords = new Uint32Array(one.buffer);

/** Fields framed into 32-bit words, hashed by hex() or digest(). Reusable after reset(). */
class IdInput {
  private buf = new Uint32Array(256);
  private n = 0;

  reset(): this {
    this.n = 0;
    return this;
  }

  /** Room for `more` words. */
  private room(more: number): Uint32Array {
    if (this.n + more > this.buf.length) {
      const grown = new Uint32Array(Math.max(2 * this.buf.length, this.n + more));
      grown.set(this.buf.subarray(0, this.n));
      this.buf = grown;
    }
    return this.buf;
  }

  /** The first n 32-bit words of `w`, as they are. */
  words(w: Uint32Array, n: number): this {
    this.room(n).set(w.subarray(0, n), this.n);
    this.n += n;
    return this;
  }

  /** Its length, then its UTF-16 units two a word: "ab"+"c" differs from "a"+"bc". */
  str(s: string): this {
    const len = s.length;
    const b = this.room(1 + ((len + 1) >> 1));
    let w = this.n;
    b[w++] = len;
    let k = 0;
    for (; k + 1 < len; k += 2) b[w++] = s.charCodeAt(k) | (s.charCodeAt(k + 1) << 16);
    if (k < len) b[w++] = s.charCodeAt(k);
    this.n = w;
    return this;
  }

  /** The float64 bits of n (-0 as 0; null as NaN: callers hash no NaN where null can be). */
  num(n: number | null): this {
    f64[0] = n === null ? NaN : n;
    return this.nums(f64, 0, 1);
  }

  /** num() of xs[off .. off + count). */
  nums(xs: Float64Array, off: number, count: number): this {
    const b = this.room(2 * count);
    let w = this.n;
    for (let j = 0; j < count; j++) {
      const x = xs[off + j]!;
      one[0] = x === 0 ? 0 : x;
      b[w++] = oneWords[0]!;
      b[w++] = oneWords[1]!;
    }
    this.n = w;
    return this;
  }

  /** 32 hex digits */
  hex(): string {
    return hex128(this.bytes());
  }

  /** The same 128 bits as four 32-bit words. */
  digest(): Uint32Array {
    const d = hash('sha256', this.bytes(), 'buffer');
    return new Uint32Array(d.buffer.slice(d.byteOffset, d.byteOffset + 16));
  }

  private bytes(): Uint8Array {
    return new Uint8Array(this.buf.buffer, 0, this.n * 4);
  }
}

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
export type AppraisalPrefix = Uint32Array;

export function appraisalPrefix(period: PeriodRef, rulesVersion: string, rules: unknown): AppraisalPrefix {
  return new IdInput()
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

const ID = new IdInput();

/**
 * The appraisalId of `card`, scored in the run of `prefix` from the counters row[off .. off +
 * count) the kernel read (loadCounters), its workload reference and its previous composite.
 */
export function appraisalIdOf(
  prefix: AppraisalPrefix,
  card: CardIdFields,
  row: Float64Array,
  off: number,
  count: number,
  workloadReference: number,
  previousComposite: number | null,
): string {
  return ID.reset()
    .words(prefix, prefix.length)
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
    .str(card.grade)
    .hex();
}

/** eligibility/2: the SHA-256 of the record's fields as a JSON array (eligibility/1 was a home-made hash). */
export function eligibilityIdOf(e: Omit<Eligibility, 'eligibilityId'>): string {
  const p = e.period;
  return hex128(
    JSON.stringify([
      'eligibility/2',
      e.appraisalId,
      e.staffId,
      e.teamId,
      [p.kind, p.start, p.timeZone],
      e.grade,
      e.eligible,
      e.bonusCoefficient,
      e.improvementPlanRequired,
      e.awards,
      e.vetoReasons,
      e.trainingRecommendations,
    ]),
  );
}
