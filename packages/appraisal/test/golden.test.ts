// Golden output of the engine: 2,000 seeded synthetic staff (plausible months plus odd corner
// cases) scored in several ways; the sha256 of every card and eligibility record (canonical JSON
// and plain JSON.stringify, so key order counts too) was computed with the engine before its
// performance rework. Any change of output changes the hash.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  COUNTER_NAMES,
  DEFAULT_RULES,
  ROLES,
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

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SKILLS = ['SERVICE_ETIQUETTE', 'BUSINESS_KNOWLEDGE', 'PROCESS_EFFICIENCY', 'COMMUNICATION', 'SAFETY', 'TECHNICAL'];

function generate(seed: number, staff: number, teams: number) {
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const frac = (lo: number, hi: number) => lo + rnd() * (hi - lo);
  const some = (n: number, p: number) => {
    let k = 0;
    for (let i = 0; i < n; i++) if (rnd() < p) k++;
    return k;
  };
  function month(role: Role): Counters {
    const q = rnd();
    const rate = (lo: number, hi: number) => lo + (hi - lo) * Math.min(1, Math.max(0, q + frac(-0.15, 0.15)));
    const c: Record<string, number> = {};
    const set = (k: string, v: number) => {
      if (v !== 0) c[k] = Math.round(v);
    };
    const shifts = int(18, 23);
    const scheduled = shifts * 480;
    set('shifts', shifts);
    set('late_shifts', some(shifts, 0.06 * (1 - q)));
    set('scheduled_minutes', scheduled);
    set('attended_minutes', Math.round(scheduled * rate(0.75, 1)));
    const sup = int(1, 2);
    set('supervisor_ratings', sup);
    set('supervisor_score_sum', sup * Math.round(rate(55, 100)));
    const fb = int(3, 8);
    set('feedback_ratings', fb);
    set('feedback_score_sum', fb * Math.round(rate(55, 100)));
    const trained = some(3, 0.3);
    set('training_completed', trained);
    set('training_gain_sum', trained * int(0, 25));
    for (let i = 0; i < trained; i++) set(`trained_ok_${SKILLS[int(0, SKILLS.length - 1)]}`, 1);
    const complaints = some(4, 0.1);
    set('complaints_general', complaints);
    set('complaints_general_substantiated', some(complaints, 0.4));
    const serious = rnd() < 0.03 ? 1 : 0;
    set('complaints_serious', serious);
    set('complaints_serious_substantiated', serious && rnd() < 0.5 ? 1 : 0);
    set('violations', some(3, 0.03));
    const contacts = (n: number) => {
      set('contacts_handled', n);
      set('handle_seconds', n * Math.round(rate(520, 200)));
      const resolved = Math.round(n * rate(0.6, 0.95));
      set('contacts_resolved', resolved);
      set('inquiries_resolved', Math.round(resolved * frac(0.3, 0.6)));
      const surveys = int(Math.floor(n / 20), Math.floor(n / 8));
      set('surveys', surveys);
      set('surveys_satisfied', Math.round(surveys * rate(0.7, 1)));
      const insp = int(2, 6);
      const quality = rate(60, 100);
      set('quality_inspections', insp);
      set('quality_score_sum', Math.round(insp * quality));
      set('quality_passed', quality >= 85 ? insp : some(insp, 0.4));
    };
    switch (role) {
      case 'HOTLINE_AGENT': {
        contacts(int(250, 520));
        const due = int(10, 40);
        const done = Math.round(due * rate(0.85, 1));
        set('callbacks_due', due);
        set('callbacks_due_completed', done);
        set('callbacks_due_on_time', Math.round(done * rate(0.8, 1)));
        set('callbacks_made', done + int(0, 5));
        break;
      }
      case 'HALL_CLERK': {
        contacts(int(120, 300));
        const bills = int(50, 200);
        set('bills_issued', bills);
        set('billing_errors', some(bills, 0.01 * (1 - q)));
        break;
      }
      case 'METER_READER': {
        const due = int(600, 1000);
        const onTime = Math.round(due * rate(0.9, 1));
        set('readings_due', due);
        set('readings_due_on_time', onTime);
        set('meter_readings', onTime + int(0, 30));
        set('reading_errors', some(onTime, 0.008 * (1 - q)));
        break;
      }
      case 'BILLING_CLERK': {
        const bills = int(300, 800);
        set('bills_issued', bills);
        set('billing_errors', some(bills, 0.006 * (1 - q)));
        const due = int(300, 800);
        const cents = due * int(8_000, 40_000);
        set('bills_due', due);
        set('amount_due_cents', cents);
        set('amount_paid_on_time_cents', Math.round(cents * rate(0.85, 1)));
        break;
      }
      case 'REPAIR_CREW': {
        const arrivals = int(10, 40);
        set('repair_arrivals', arrivals);
        set('repair_arrivals_within', Math.round(arrivals * rate(0.8, 1)));
        const restored = arrivals - int(0, 2);
        set('repairs_restored', restored);
        set('restorations_within', Math.round(restored * rate(0.75, 1)));
        const ratings = int(5, restored);
        set('repair_ratings', ratings);
        set('repair_ratings_satisfied', Math.round(ratings * rate(0.7, 1)));
        const notices = int(0, 10);
        set('outage_notices', notices);
        set('outage_notices_on_time', Math.round(notices * rate(0.8, 1)));
        break;
      }
      case 'WORK_ORDER_CLERK': {
        const due = int(30, 80);
        const onTime = Math.round(due * rate(0.8, 1));
        set('work_orders_due', due);
        set('work_orders_due_on_time', onTime);
        const done = due + int(-3, 5);
        set('work_orders_completed', done);
        set('work_orders_reworked', some(done, 0.05 * (1 - q)));
        break;
      }
    }
    return c as Counters;
  }
  /** Any counters at all: random subsets, zeros, numerators above denominators, tiny samples. */
  function odd(): Counters {
    const c: Record<string, number> = {};
    const n = int(0, 12);
    for (let i = 0; i < n; i++) {
      const name = COUNTER_NAMES[int(0, COUNTER_NAMES.length - 1)]!;
      const r = rnd();
      c[name] = r < 0.2 ? 0 : r < 0.6 ? int(1, 5) : r < 0.9 ? int(1, 500) : int(1, 100000);
    }
    return c as Counters;
  }
  const roster: RosterEntry[] = [];
  const counters = new Map<string, Counters>();
  const previous = new Map<string, { composite: number | null; grade: Grade; status: 'FINAL' | 'REVISED' }>();
  const revisions = new Map<string, number>();
  const perTeam = Math.ceil(staff / teams);
  for (let i = 0; i < staff; i++) {
    const t = Math.floor(i / perTeam);
    const staffId = `S${String(i).padStart(6, '0')}`;
    const teamId = `T${String(t).padStart(4, '0')}`;
    const role = ROLES[(t + (i % perTeam < perTeam - 3 ? 0 : 1)) % ROLES.length]!;
    const active = rnd() > 0.02;
    roster.push({ staffId, teamId, role, active });
    const r = rnd();
    if (r > 0.15) counters.set(staffId, month(role));
    else if (r > 0.03) counters.set(staffId, odd());
    if (rnd() > 0.1) {
      const composite = rnd() < 0.05 ? null : Math.round(frac(40, 99) * 10) / 10;
      const grade: Grade = composite === null ? 'INSUFFICIENT_DATA' : composite >= 90 ? 'A' : composite >= 80 ? 'B' : composite >= 60 ? 'C' : 'D';
      previous.set(staffId, { composite, grade, status: rnd() < 0.8 ? 'FINAL' : 'REVISED' });
    }
    if (rnd() < 0.5) revisions.set(staffId, int(1, 4));
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
  let records = 0;
  const add = (xs: readonly object[]) => {
    for (const x of xs) {
      canon.update(canonicalJson(x)).update('\n');
      plain.update(JSON.stringify(x)).update('\n');
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
  return { records, canonical: canon.digest('hex'), plain: plain.digest('hex') };
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

const GOLDEN_DEFAULT = {
  records: 11760,
  canonical: 'fbe46e4ade5a1eea4d0499d42555d1e297b5fdf880f643af3851901eeab9e56c',
  plain: '16712e79beb86d892567c43f938aea367e6f2cb2a42feaf0a8580ffa5eb779a2',
};
const GOLDEN_OVERRIDE = {
  records: 11760,
  canonical: '8c6862cc380ea6bd62ebd3ff2a6559380ad710e7d87ab7d602a9e57d3215d12c',
  plain: '8ea5e5b1bec55ac4da3659c53da34201ae4997ffbe1ac778582ef4cb62d62d7c',
};
