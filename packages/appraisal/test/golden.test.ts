// Golden output of the engine: 2,000 seeded synthetic staff (plausible months plus odd corner
// cases) scored in several ways; the sha256 of every card and eligibility record (canonical JSON
// and plain JSON.stringify, so key order counts too) was computed with the engine before its
// performance rework. Any change of output changes the hash. `content` leaves the ids out: it
// stayed the same when the ids changed (appraisal/2, then /3: a hash of the inputs, then /4:
// SHA-256), and shows that nothing else did. When the rules gained effectiveFrom and lost three
// settings nothing read (#16), the ids moved (they hash the rules) and the default content did
// not; the override's derived rulesVersion (a hash of its settings) moved, and its content with it.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  COUNTER_NAMES,
  DEFAULT_RULES,
  canonicalJson,
  eligibility,
  mergeRules,
  parsePeriodId,
  scorePopulation,
  type Counters,
  type Grade,
  type Role,
  type RosterEntry,
  type Rules,
} from '../src/index.ts';
import { Rng, monthCounters, rosterSeat } from './synthetic.ts';



function generate(seed: number, staff: number, teams: number) {
  const rng = new Rng(seed);
  const month = (role: Role): Counters => monthCounters(rng, role, { attendedFloor: 0.75, seriousRate: 0.03 }) as Counters;
  /** Any counters at all: random subsets, zeros, numerators above denominators, tiny samples. */
  function odd(): Counters {
    const c: Record<string, number> = {};
    const n = rng.intIn(0, 12);
    for (let i = 0; i < n; i++) {
      const name = COUNTER_NAMES[rng.intIn(0, COUNTER_NAMES.length - 1)]!;
      const r = rng.next();
      c[name] = r < 0.2 ? 0 : r < 0.6 ? rng.intIn(1, 5) : r < 0.9 ? rng.intIn(1, 500) : rng.intIn(1, 100000);
    }
    return c as Counters;
  }
  const roster: RosterEntry[] = [];
  const counters = new Map<string, Counters>();
  const previous = new Map<string, { composite: number | null; grade: Grade; status: 'FINAL' | 'REVISED' }>();
  const revisions = new Map<string, number>();
  const perTeam = Math.ceil(staff / teams);
  for (let i = 0; i < staff; i++) {
    const { staffId, teamId, role } = rosterSeat(i, perTeam, 3);
    const active = rng.next() > 0.02;
    roster.push({ staffId, teamId, role, active });
    const r = rng.next();
    if (r > 0.15) counters.set(staffId, month(role));
    else if (r > 0.03) counters.set(staffId, odd());
    if (rng.next() > 0.1) {
      const composite = rng.next() < 0.05 ? null : Math.round(rng.range(40, 99) * 10) / 10;
      const grade: Grade = composite === null ? 'INSUFFICIENT_DATA' : composite >= 90 ? 'A' : composite >= 80 ? 'B' : composite >= 60 ? 'C' : 'D';
      previous.set(staffId, { composite, grade, status: rng.next() < 0.8 ? 'FINAL' : 'REVISED' });
    }
    if (rng.next() < 0.5) revisions.set(staffId, rng.intIn(1, 4));
  }
  // A duplicate roster entry (last one wins) and a staff member with counters but no roster entry.
  roster.push({ ...roster[5]!, teamId: 'T9999' });
  counters.set('S999999', { contacts_handled: 10 });
  return { roster, counters, previous, revisions };
}

function digest(rules: Rules) {
  const { roster, counters, previous, revisions } = generate(20260901, 2000, 80);
  const month = parsePeriodId('MONTH:2026-09', 'Asia/Shanghai');
  const day = parsePeriodId('DAY:2026-09-15', 'Asia/Shanghai');
  const canon = createHash('sha256');
  const plain = createHash('sha256');
  const content = createHash('sha256');
  let records = 0;
  const add = (xs: readonly object[]) => {
    for (const x of xs) {
      canon.update(canonicalJson(x)).update('\n');
      plain.update(JSON.stringify(x)).update('\n');
      content.update(JSON.stringify({ ...x, appraisalId: '', eligibilityId: '' })).update('\n');
      records++;
    }
  };
  const final = scorePopulation(counters, roster, rules, month, 'FINAL', { computedAt: Date.UTC(2026, 9, 10, 4), previousFinals: previous });
  add(final);
  add(eligibility(final, counters, previous, rules));
  const revised = scorePopulation(Object.fromEntries(counters), roster, rules, month, 'REVISED', {
    computedAt: '2026-10-20T00:00:00.000Z',
    revision: revisions,
    previousFinals: [...previous].map(([staffId, p]) => ({ staffId, ...p })),
  });
  add(revised);
  add(eligibility(revised, [...counters].map(([staffId, c]) => ({ staffId, counters: c })), Object.fromEntries(previous), rules));
  add(scorePopulation(counters, roster, rules, month, 'PROVISIONAL', { computedAt: Date.UTC(2026, 8, 20), revision: 3, previousFinals: previous }));
  add(scorePopulation(counters, roster, rules, day, 'PROVISIONAL', { computedAt: Date.UTC(2026, 8, 15, 9) }));
  return { records, canonical: canon.digest('hex'), plain: plain.digest('hex'), content: content.digest('hex') };
}

const OVERRIDE = mergeRules(DEFAULT_RULES, {
  scoring: { decimals: 2, minDimensions: 3 },
  kpis: { quality_score: { weight: 2 }, callback_rate: { weight: 0 }, avg_handle_seconds: { minSample: 50 } },
  roleWeights: { HOTLINE_AGENT: { conduct: 0, taskCompletion: 30 } },
  workload: { minTeamPeers: 5, referenceFactor: 1 },
  forcedDistribution: { maxAShare: 0.1, minAQuota: 2 },
  penalties: { attendancePerLateShift: 7.5 },
});

// Scoring 2,000 staff twice is well under a second on an idle machine; a CI machine loaded by other
// work took over 5 s (vitest's default), so these cases get 60 s.
describe('golden output (2,000 seeded staff)', { timeout: 60_000 }, () => {
  it('default rules', () => {
    expect(digest(DEFAULT_RULES)).toEqual(GOLDEN_DEFAULT);
  });
  it('overridden rules', () => {
    expect(digest(OVERRIDE)).toEqual(GOLDEN_OVERRIDE);
  });
});

// 2026-12: rules gained periods.maxDueAheadDays. Ids hash the rules' content, so canonical and
// plain moved; the default cards' content did not. The override's content moved only through its
// rulesVersion, which hashes every setting of the merged rules.
// Ids to SHA-256 (appraisal/4, eligibility/2): canonical and plain moved; the content (ids left
// out) of both did not. Then, in a commit of its own that changed no engine code, the synthetic
// population moved to the simulator's PRNG (sfc32, was mulberry32): every value moved.
// One hash everywhere (hasher.ts: ids framed into bytes, the rulesVersion of merged rules on
// SHA-256): canonical and plain moved; the default content did not, the override's moved only
// through its rulesVersion.
// Rules gained `trend` (dynamic appraisal, docs/dynamic-appraisal.md): canonical and plain moved
// (ids hash the rules); the default content did not, the override's moved only through its rulesVersion.
// Every MONTH card gained `trend` (appraisal v4), which its id hashes, and MOST_IMPROVED is judged
// on it (three graded months; this population has two, so nobody gets it): all three moved. With
// `trend` left out of the cards and MOST_IMPROVED out of the awards, the content of both was the
// same before and after (checked once with a copy of this test).
// Re-taken when appraisal v6 added the trend (and the rules its settings, so every id moved): with
// the trend left out, the default content hash equals the one before (3fcd6414…), so no number,
// grade or award of the defaults moved.
const GOLDEN_DEFAULT = {
  records: 11808,
  canonical: '5ab92b8c9c423ab021200acc4e9cd6eaccea4cce244e17d867ccbaee3f0e7baa',
  plain: 'ba45f8132079705bd1874544da6b23778d97e2de2650140d9355ead190c53bbe',
  content: '5439b3a08fa45bec16723c7cf546978512724cf8c37643c20b841e4cc42423b3',
};
const GOLDEN_OVERRIDE = {
  records: 11808,
  canonical: '2211d563b1ad757f3de473a24bdc68d6814d5c86671c97408dbe5799d48f35eb',
  plain: '606ebcfc2b1147626ffc5fd65c79263ba221b7fc70d4168b867a4513cbfe9c26',
  content: '5555cdb845ed573a24d90f929a05f37e671a29c01ffc3dfd0039c9ba9655a0c3',
};
