// A plausible synthetic month of counters per role, from the simulator's seeded PRNG, and the
// seats of a synthetic roster: shared by the engine's golden test and the benchmarks, so they
// score the same kind of population.
import { Rng } from '@cs/simulator/prng';
import { ROLES, type Role } from '../src/index.ts';

export { Rng };

/** How many of n trials with chance p come up. */
function some(rng: Rng, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.chance(p)) k++;
  return k;
}

const SKILLS = ['SERVICE_ETIQUETTE', 'BUSINESS_KNOWLEDGE', 'PROCESS_EFFICIENCY', 'COMMUNICATION', 'SAFETY', 'TECHNICAL'];

/** A plausible month of counters for one staff member of `role` (skill q in [0,1] shifts every rate). */
export interface MonthShape {
  /** lowest attended/scheduled ratio (the attendance veto bites below 0.8) */
  attendedFloor: number;
  /** chance of a SERIOUS complaint (a veto when substantiated) */
  seriousRate: number;
}

/** The benchmark's shape: a realistic share of vetoes. The golden test uses a harsher one. */
export const REALISTIC: MonthShape = { attendedFloor: 0.88, seriousRate: 0.01 };

export function monthCounters(rng: Rng, role: Role, shape: MonthShape = REALISTIC): Record<string, number> {
  const q = rng.next();
  const rate = (lo: number, hi: number) => lo + (hi - lo) * Math.min(1, Math.max(0, q + rng.range(-0.15, 0.15)));
  const c: Record<string, number> = {};
  const set = (k: string, v: number) => {
    if (v !== 0) c[k] = Math.round(v);
  };
  /** `of` = n, and `met` = the share rate(floor, 1) of them; returns the latter. */
  const ofWhich = (of: string, n: number, met: string, floor: number) => {
    const k = Math.round(n * rate(floor, 1));
    set(of, n);
    set(met, k);
    return k;
  };
  // Workforce, everyone.
  const shifts = rng.intIn(18, 23);
  const scheduled = shifts * 480;
  set('shifts', shifts);
  set('late_shifts', some(rng, shifts, 0.06 * (1 - q)));
  set('scheduled_minutes', scheduled);
  set('attended_minutes', Math.round(scheduled * rate(shape.attendedFloor, 1)));
  const sup = rng.intIn(1, 2);
  set('supervisor_ratings', sup);
  set('supervisor_score_sum', sup * Math.round(rate(55, 100)));
  const fb = rng.intIn(3, 8);
  set('feedback_ratings', fb);
  set('feedback_score_sum', fb * Math.round(rate(55, 100)));
  const trained = some(rng, 3, 0.3);
  set('training_completed', trained);
  set('training_gain_sum', trained * rng.intIn(0, 25));
  for (let i = 0; i < trained; i++) set(`trained_ok_${SKILLS[rng.intIn(0, SKILLS.length - 1)]}`, 1);
  const complaints = some(rng, 4, 0.1);
  set('complaints_general', complaints);
  set('complaints_general_substantiated', some(rng, complaints, 0.4));
  const serious = rng.next() < shape.seriousRate ? 1 : 0;
  set('complaints_serious', serious);
  set('complaints_serious_substantiated', serious && rng.next() < 0.5 ? 1 : 0);
  set('violations', some(rng, 3, 0.03));
  const contacts = (n: number) => {
    set('contacts_handled', n);
    set('handle_seconds', n * Math.round(rate(520, 200)));
    const resolved = Math.round(n * rate(0.6, 0.95));
    set('contacts_resolved', resolved);
    set('inquiries_resolved', Math.round(resolved * rng.range(0.3, 0.6)));
    ofWhich('surveys', rng.intIn(Math.floor(n / 20), Math.floor(n / 8)), 'surveys_satisfied', 0.7);
    const insp = rng.intIn(2, 6);
    const quality = rate(60, 100);
    set('quality_inspections', insp);
    set('quality_score_sum', Math.round(insp * quality));
    set('quality_passed', quality >= 85 ? insp : some(rng, insp, 0.4));
  };
  switch (role) {
    case 'HOTLINE_AGENT': {
      contacts(rng.intIn(250, 520));
      const done = ofWhich('callbacks_due', rng.intIn(10, 40), 'callbacks_due_completed', 0.85);
      set('callbacks_due_on_time', Math.round(done * rate(0.8, 1)));
      set('callbacks_made', done + rng.intIn(0, 5));
      break;
    }
    case 'HALL_CLERK': {
      contacts(rng.intIn(120, 300));
      const bills = rng.intIn(50, 200);
      set('bills_issued', bills);
      set('billing_errors', some(rng, bills, 0.01 * (1 - q)));
      break;
    }
    case 'METER_READER': {
      const onTime = ofWhich('readings_due', rng.intIn(600, 1000), 'readings_due_on_time', 0.9);
      set('meter_readings', onTime + rng.intIn(0, 30));
      set('reading_errors', some(rng, onTime, 0.008 * (1 - q)));
      break;
    }
    case 'BILLING_CLERK': {
      const bills = rng.intIn(300, 800);
      set('bills_issued', bills);
      set('billing_errors', some(rng, bills, 0.006 * (1 - q)));
      const due = rng.intIn(300, 800);
      const cents = due * rng.intIn(8_000, 40_000);
      set('bills_due', due);
      set('amount_due_cents', cents);
      set('amount_paid_on_time_cents', Math.round(cents * rate(0.85, 1)));
      break;
    }
    case 'REPAIR_CREW': {
      const arrivals = rng.intIn(10, 40);
      ofWhich('repair_arrivals', arrivals, 'repair_arrivals_within', 0.8);
      const restored = arrivals - rng.intIn(0, 2);
      ofWhich('repairs_restored', restored, 'restorations_within', 0.75);
      ofWhich('repair_ratings', rng.intIn(5, restored), 'repair_ratings_satisfied', 0.7);
      ofWhich('outage_notices', rng.intIn(0, 10), 'outage_notices_on_time', 0.8);
      break;
    }
    case 'WORK_ORDER_CLERK': {
      const due = rng.intIn(30, 80);
      ofWhich('work_orders_due', due, 'work_orders_due_on_time', 0.8);
      const done = due + rng.intIn(-3, 5);
      set('work_orders_completed', done);
      set('work_orders_reworked', some(rng, done, 0.05 * (1 - q)));
      break;
    }
  }
  return c;
}

/**
 * Seat i of a population in teams of perTeam: its staff and team ids, and its role. A team is
 * mostly one role, its last `mixedTail` seats the next one (mixed halls, crews with a clerk).
 */
export function rosterSeat(i: number, perTeam: number, mixedTail: number): { staffId: string; teamId: string; role: Role } {
  const t = Math.floor(i / perTeam);
  return {
    staffId: `S${String(i).padStart(6, '0')}`,
    teamId: `T${String(t).padStart(4, '0')}`,
    role: ROLES[(t + (i % perTeam < perTeam - mixedTail ? 0 : 1)) % ROLES.length]!,
  };
}
