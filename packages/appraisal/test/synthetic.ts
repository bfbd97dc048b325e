// A plausible synthetic month of counters per role, from a seeded PRNG: shared by the engine's
// golden test and the scorer benchmark, so both score the same kind of population.
import type { Role } from '../src/index.ts';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Draw {
  rnd: () => number;
  int: (lo: number, hi: number) => number;
  frac: (lo: number, hi: number) => number;
  some: (n: number, p: number) => number;
}

export function draw(rnd: () => number): Draw {
  return {
    rnd,
    int: (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)),
    frac: (lo, hi) => lo + rnd() * (hi - lo),
    some: (n, p) => {
      let k = 0;
      for (let i = 0; i < n; i++) if (rnd() < p) k++;
      return k;
    },
  };
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

export function monthCounters(d: Draw, role: Role, shape: MonthShape = REALISTIC): Record<string, number> {
  const { rnd, int, frac, some } = d;
  const q = rnd();
  const rate = (lo: number, hi: number) => lo + (hi - lo) * Math.min(1, Math.max(0, q + frac(-0.15, 0.15)));
  const c: Record<string, number> = {};
  const set = (k: string, v: number) => {
    if (v !== 0) c[k] = Math.round(v);
  };
  // Workforce, everyone.
  const shifts = int(18, 23);
  const scheduled = shifts * 480;
  set('shifts', shifts);
  set('late_shifts', some(shifts, 0.06 * (1 - q)));
  set('scheduled_minutes', scheduled);
  set('attended_minutes', Math.round(scheduled * rate(shape.attendedFloor, 1)));
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
  const serious = rnd() < shape.seriousRate ? 1 : 0;
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
  return c;
}
