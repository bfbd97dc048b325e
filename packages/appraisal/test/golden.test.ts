// Golden output of the engine: 2,000 seeded synthetic staff (plausible months plus odd corner
// cases) scored in several ways; the sha256 of every card and eligibility record (canonical JSON
// and plain JSON.stringify, so key order counts too) was computed with the engine before its
// performance rework. Any change of output changes the hash. `content` leaves the ids out: it
// stayed the same when the ids changed (appraisal/2, then /3: a hash of the inputs, then /4:
// SHA-256), and shows that nothing else did.
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

describe('golden output (2,000 seeded staff)', () => {
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
const GOLDEN_DEFAULT = {
  records: 11808,
  canonical: 'de31a40f16356c9af2bdf682d81835dfff2aa72a1f54374c83c99c371b0a265b',
  plain: '7168cf4b99ad13a0588eea9cd1c43b145fc35ee3f5dbe95a0274d19d28cef68f',
  content: '3fcd6414b1a2d14b527937a910911fb4186f61ac5d1bdd3498b240c2e861509f',
};
const GOLDEN_OVERRIDE = {
  records: 11808,
  canonical: 'a0f6b32eeb25c486d5cd474f6d7f4a5e1522a8e414b6141a6ad15df32d3f0874',
  plain: '83e0e79ea70f1aa339bca7947becc2ddbfe85409a3882ab5e31be4d05211d97a',
  content: '25a930e92570b7f6686aa7a66f26c979c08eec04828291c390c3001121a8ae6c',
};
