// A plausible synthetic month of counters per role, from the simulator's seeded PRNG: shared by
// the engine's golden test and the benchmarks, so they score the same kind of population.
import { Rng } from '@cs/simulator/prng';
import type { Role } from '../src/index.ts';

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
    const surveys = rng.intIn(Math.floor(n / 20), Math.floor(n / 8));
    set('surveys', surveys);
    set('surveys_satisfied', Math.round(surveys * rate(0.7, 1)));
    const insp = rng.intIn(2, 6);
    const quality = rate(60, 100);
    set('quality_inspections', insp);
    set('quality_score_sum', Math.round(insp * quality));
    set('quality_passed', quality >= 85 ? insp : some(rng, insp, 0.4));
  };
  switch (role) {
    case 'HOTLINE_AGENT': {
      contacts(rng.intIn(250, 520));
      const due = rng.intIn(10, 40);
      const done = Math.round(due * rate(0.85, 1));
      set('callbacks_due', due);
      set('callbacks_due_completed', done);
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
      const due = rng.intIn(600, 1000);
      const onTime = Math.round(due * rate(0.9, 1));
      set('readings_due', due);
      set('readings_due_on_time', onTime);
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
      set('repair_arrivals', arrivals);
      set('repair_arrivals_within', Math.round(arrivals * rate(0.8, 1)));
      const restored = arrivals - rng.intIn(0, 2);
      set('repairs_restored', restored);
      set('restorations_within', Math.round(restored * rate(0.75, 1)));
      const ratings = rng.intIn(5, restored);
      set('repair_ratings', ratings);
      set('repair_ratings_satisfied', Math.round(ratings * rate(0.7, 1)));
      const notices = rng.intIn(0, 10);
      set('outage_notices', notices);
      set('outage_notices_on_time', Math.round(notices * rate(0.8, 1)));
      break;
    }
    case 'WORK_ORDER_CLERK': {
      const due = rng.intIn(30, 80);
      const onTime = Math.round(due * rate(0.8, 1));
      set('work_orders_due', due);
      set('work_orders_due_on_time', onTime);
      const done = due + rng.intIn(-3, 5);
      set('work_orders_completed', done);
      set('work_orders_reworked', some(rng, done, 0.05 * (1 - q)));
      break;
    }
  }
  return c;
}
