// A member's static record (docs/static-appraisal.md §2) as kept in `st:<staffId>` (field: the
// event id): compact JSON arrays, one per record, ~40 bytes:
//   ["a", skill, score, assessedAt, assessmentId]
//   ["g", qualificationId, grantedAt, expiresAt|null, certificateId]
//   ["r", qualificationId, revokedAt]
// The aggregator writes them once validated; a value that does not parse reads as no record.
import { SKILLS, type Skill, type StaticRecord } from '@cs/appraisal';

export function encodeStaticRecord(r: StaticRecord): string {
  switch (r.kind) {
    case 'assessment':
      return JSON.stringify(['a', r.skill, r.score, r.at, r.assessmentId]);
    case 'grant':
      return JSON.stringify(['g', r.qualificationId, r.at, r.expiresAt, r.certificateId]);
    case 'revocation':
      return JSON.stringify(['r', r.qualificationId, r.at]);
  }
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isStr = (x: unknown): x is string => typeof x === 'string';

/** The record of a stored value, or null when it is not one (skipped by the reader). */
export function decodeStaticRecord(text: string): StaticRecord | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  return recordOf(v);
}

function recordOf(v: unknown): StaticRecord | null {
  if (!Array.isArray(v)) return null;
  const [tag, a, b, c, d] = v as unknown[];
  if (tag === 'a' && (SKILLS as readonly unknown[]).includes(a) && isNum(b) && isNum(c) && isStr(d)) {
    return { kind: 'assessment', skill: a as Skill, score: b, at: c, assessmentId: d };
  }
  if (tag === 'g' && isStr(a) && isNum(b) && (c === null || isNum(c)) && isStr(d)) {
    return { kind: 'grant', qualificationId: a, at: b, expiresAt: c, certificateId: d };
  }
  if (tag === 'r' && isStr(a) && isNum(b)) return { kind: 'revocation', qualificationId: a, at: b };
  return null;
}

/**
 * The records of readHashes-1.lua's "values" text for one member ("[record,…]"); a value that is not a
 * record is left out, and text that is not JSON at all (a hand-written value) gives none.
 */
export function staticRecordsOfText(text: string): StaticRecord[] {
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    values = null;
  }
  if (!Array.isArray(values)) return [];
  const out: StaticRecord[] = [];
  for (const v of values) {
    const r = recordOf(v);
    if (r !== null) out.push(r);
  }
  return out;
}

/** The records of a member's `st:<staffId>` hash (HGETALL: field -> value), in field order. */
export function staticRecordsOf(hash: Readonly<Record<string, string>>): StaticRecord[] {
  const out: StaticRecord[] = [];
  for (const field of Object.keys(hash).sort()) {
    const r = decodeStaticRecord(hash[field]!);
    if (r !== null) out.push(r);
  }
  return out;
}
