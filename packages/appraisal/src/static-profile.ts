// The static appraisal (docs/static-appraisal.md): a member's skill and qualification profile as
// of a period's end, and the training recommendations it adds to the dynamic ones. Pure: the
// caller hands in the member's static records (the aggregator keeps them) and the rules.

import type { Counters } from './counters.ts';
import type { Hasher } from './hasher.ts';
import { trainedOkCounter } from './counters.ts';
import type { Role, Skill } from './domain.ts';
import type { AttributableEvent } from './events.ts';
import type { Rules } from './rules/schema.ts';
import { staticSettings, type StaticSettings } from './rules/static-defaults.ts';

const DAY_MS = 86_400_000;

/** A SkillAssessed event as kept: `at` = assessedAt. */
export interface AssessmentRecord {
  kind: 'assessment';
  skill: Skill;
  score: number;
  at: number;
  assessmentId: string;
}

/** A QualificationGranted event as kept: `at` = grantedAt; expiresAt null = does not expire. */
export interface GrantRecord {
  kind: 'grant';
  qualificationId: string;
  at: number;
  expiresAt: number | null;
  certificateId: string;
}

/** A QualificationRevoked event as kept: `at` = revokedAt. */
export interface RevocationRecord {
  kind: 'revocation';
  qualificationId: string;
  at: number;
}

export type StaticRecord = AssessmentRecord | GrantRecord | RevocationRecord;

export interface SkillScore {
  skill: Skill;
  score: number;
  assessedAt: number;
}

export interface HeldQualification {
  qualificationId: string;
  grantedAt: number;
  expiresAt: number | null;
  certificateId: string;
}

export interface ExpiringQualification {
  qualificationId: string;
  expiresAt: number;
  /** whole days from asOf to expiresAt, rounded down */
  daysLeft: number;
}

export interface StaticProfile {
  /** the instant the profile holds at: the period's (exclusive) end */
  asOf: number;
  skills: SkillScore[];
  qualifications: HeldQualification[];
  /** required for the role, not held */
  missing: string[];
  /** required for the role, held, expiring within `expiringWithinDays` of asOf */
  expiring: ExpiringQualification[];
  /** skills whose latest score is below `skillBelowScore` */
  belowScore: Skill[];
}

/**
 * The record a static event keeps (§2), placed at its own assessedAt / grantedAt / revokedAt;
 * null for every other kind.
 */
export function staticRecordOf(e: AttributableEvent): StaticRecord | null {
  switch (e.kind) {
    case 'SkillAssessed':
      return { kind: 'assessment', skill: e.skill, score: e.score, at: e.assessedAt, assessmentId: e.assessmentId };
    case 'QualificationGranted':
      return { kind: 'grant', qualificationId: e.qualificationId, at: e.grantedAt, expiresAt: e.expiresAt ?? null, certificateId: e.certificateId };
    case 'QualificationRevoked':
      return { kind: 'revocation', qualificationId: e.qualificationId, at: e.revokedAt };
    default:
      return null;
  }
}

/** The rules' static settings, absent ones from the defaults. */
export function staticRules(rules: Rules): StaticSettings {
  return staticSettings(rules.static);
}

/** Does `a` decide over `b` (the same skill or qualification)? The later one; ties as the docs say. */
function decides(a: StaticRecord, b: StaticRecord): boolean {
  if (a.at !== b.at) return a.at > b.at;
  if (a.kind === 'assessment' && b.kind === 'assessment') return a.assessmentId > b.assessmentId;
  if (a.kind !== b.kind) return a.kind === 'revocation';
  return a.kind === 'grant' && b.kind === 'grant' && a.certificateId > b.certificateId;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Whether two records are about the same skill or qualification. */
function sameSubject(a: StaticRecord, b: StaticRecord): boolean {
  return a.kind === 'assessment' ? b.kind === 'assessment' && a.skill === b.skill : b.kind !== 'assessment' && a.qualificationId === b.qualificationId;
}

/**
 * Whether records[i] decides its subject (skill or qualification) among the records before
 * `asOf`: the first of the latest (nothing earlier in the list at least as late, nothing later
 * later). The one rule of which record decides, for the profile and for pruning.
 * A member keeps a few records (at most STATIC_RECORDS_KEPT), so comparing them pairwise costs
 * less than a Map and a subject string per record; the scorer does this for every member per tick.
 */
function decidesSubject(records: readonly StaticRecord[], i: number, asOf: number): boolean {
  const r = records[i]!;
  for (let j = 0; j < records.length; j++) {
    const o = records[j]!;
    if (j === i || !(o.at < asOf) || !sameSubject(r, o)) continue;
    if (j < i ? !decides(r, o) : decides(o, r)) return false;
  }
  return true;
}

/** Sorts a short list in place by `key` (insertion sort: a profile's lists hold a few entries). */
function sortByKey<T>(xs: T[], key: (x: T) => string): T[] {
  for (let a = 1; a < xs.length; a++) {
    const x = xs[a]!;
    const k = key(x);
    let b = a - 1;
    while (b >= 0 && key(xs[b]!) > k) {
      xs[b + 1] = xs[b]!;
      b--;
    }
    xs[b + 1] = x;
  }
  return xs;
}

const skillOf = (k: SkillScore) => k.skill;
const qualificationOf = (q: { qualificationId: string }) => q.qualificationId;

/** The member's static profile as of `asOf` (a period's end) for `role` (docs/static-appraisal.md §3). */
export function staticProfileOf(records: readonly StaticRecord[], role: Role, asOf: number, rules: Rules): StaticProfile {
  const s = staticRules(rules);
  const skills: SkillScore[] = [];
  const qualifications: HeldQualification[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (!(r.at < asOf) || r.kind === 'revocation' || !decidesSubject(records, i, asOf)) continue;
    if (r.kind === 'assessment') skills.push({ skill: r.skill, score: r.score, assessedAt: r.at });
    else if (r.expiresAt === null || r.expiresAt > asOf) {
      qualifications.push({ qualificationId: r.qualificationId, grantedAt: r.at, expiresAt: r.expiresAt, certificateId: r.certificateId });
    }
  }
  sortByKey(skills, skillOf);
  sortByKey(qualifications, qualificationOf);
  const missing: string[] = [];
  const expiring: ExpiringQualification[] = [];
  for (const id of s.requiredByRole[role] ?? []) {
    const q = qualifications.find((h) => h.qualificationId === id);
    if (q === undefined) {
      if (!missing.includes(id)) missing.push(id);
    } else if (q.expiresAt !== null && q.expiresAt - asOf <= s.expiringWithinDays * DAY_MS && !expiring.some((e) => e.qualificationId === id)) {
      expiring.push({ qualificationId: id, expiresAt: q.expiresAt, daysLeft: Math.floor((q.expiresAt - asOf) / DAY_MS) });
    }
  }
  if (missing.length > 1) missing.sort(byString);
  if (expiring.length > 1) expiring.sort((a, b) => a.expiresAt - b.expiresAt || byString(a.qualificationId, b.qualificationId));
  const belowScore: Skill[] = [];
  for (const k of skills) if (k.score < s.skillBelowScore) belowScore.push(k.skill);
  return { asOf, skills, qualifications, missing, expiring, belowScore };
}

/**
 * The skills the profile recommends (§4): each skill assessed below the threshold unless a course
 * for it was passed in the period (`counters`), and the skill of each missing or expiring required
 * qualification (no exemption: only a grant removes it). Sorted, each once.
 */
export function staticRecommendations(profile: StaticProfile, counters: Counters, rules: Rules): Skill[] {
  const catalogue = staticRules(rules).qualifications;
  const out = new Set<Skill>();
  for (const skill of profile.belowScore) {
    if ((counters[trainedOkCounter(skill)] ?? 0) === 0) out.add(skill);
  }
  for (const id of [...profile.missing, ...profile.expiring.map((e) => e.qualificationId)]) {
    const q = Object.hasOwn(catalogue, id) ? catalogue[id] : undefined;
    if (q !== undefined) out.add(q.skill);
  }
  return [...out].sort(byString);
}

/** The union of the dynamic and static recommendations, each skill once, alphabetically. */
export function combinedRecommendations(dynamic: readonly Skill[], fromStatic: readonly Skill[]): Skill[] {
  if (fromStatic.length === 0) return [...dynamic];
  return [...new Set([...dynamic, ...fromStatic])].sort(byString);
}

/** How many static records the aggregator keeps per member before pruning superseded ones (§8). */
export const STATIC_RECORDS_KEPT = 64;

/**
 * The records to drop when a member keeps more than `cap` (§8): superseded ones only (a later
 * record of the same skill or qualification exists), oldest first, until `cap` remain or none is
 * superseded. A record that still decides some profile (the latest of its subject) is never dropped.
 */
export function recordsToPrune(records: readonly StaticRecord[], cap: number): StaticRecord[] {
  if (records.length <= cap) return [];
  const superseded = records.filter((_, i) => !decidesSubject(records, i, Infinity)).sort((a, b) => a.at - b.at);
  return superseded.slice(0, records.length - cap);
}

/** Feeds a profile to a hash (the card's id when the member has static records, the scorer's content hash). */
export function hashStaticProfile(h: Hasher, p: StaticProfile): Hasher {
  h.str('static').num(p.asOf).num(p.skills.length);
  for (const k of p.skills) h.str(k.skill).num(k.score).num(k.assessedAt);
  h.num(p.qualifications.length);
  for (const q of p.qualifications) h.str(q.qualificationId).num(q.grantedAt).num(q.expiresAt).str(q.certificateId);
  h.num(p.missing.length);
  for (const id of p.missing) h.str(id);
  h.num(p.expiring.length);
  for (const e of p.expiring) h.str(e.qualificationId).num(e.expiresAt).num(e.daysLeft);
  h.num(p.belowScore.length);
  for (const k of p.belowScore) h.str(k);
  return h;
}
