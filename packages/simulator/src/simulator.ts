// The generator: a province's customer-service operation, hour by hour, deterministic from a seed.
//
// Time advances in slices of (at most) one clock hour. Each slice draws the arrivals of that hour
// (95598 calls, hall visitors, work orders, repair tickets, outage notices) and schedules every
// consequence (completion, survey, inspection, callback, payment …) into a min-heap keyed by
// occurredAt. An entry is released once every slice that could still produce an earlier event has
// been drawn, so the output is one merged stream in occurredAt order while memory holds only the
// work still in flight (open tasks), never the whole window.

import {
  KIND_TOPIC,
  createCodecs,
  messageKey,
  type Codecs,
  type SourceEvent,
  type SourceTopicKey,
  type StaffProfile,
  type ContactCategory,
  type Channel,
  type Resolution,
  type Violation,
  type WorkOrderType,
  type CustomerClass,
  type AreaClass,
  type CorrectionReason,
  type FeedbackRelation,
  type Skill,
} from '@cs/contracts';
import {
  DAY_MS as DAY,
  DEFAULT_RULES,
  HOUR_MS as HOUR,
  MINUTE_MS as MIN,
  isWorkingDay,
  localDate,
  startOfLocalDay,
  addDays,
  workOrderDeadline,
  type Rules,
} from '@cs/appraisal';
import { MinHeap } from './heap.ts';
import { buildMalformed, type ExpectedErrorClass, type MalformedSort } from './malformed.ts';
import { Rng, hashNumbers, weightTable, type WeightTable } from './prng.ts';
import { buildOrganisation, profilesOf, transferOf, type SimStaff, type SimTeam } from './roster.ts';
import { staticEvents } from './static-events.ts';

// ---------------------------------------------------------------------------------------------
// Public types

export interface SimulationOptions {
  seed: number;
  teams: number;
  staffPerTeam: number;
  /** Start of the window (epoch ms, inclusive). */
  startMs: number;
  /** End of the window (epoch ms, exclusive). Omit (or Infinity) for an open-ended live run. */
  endMs?: number;
  /** IANA zone the working day, shifts and months are laid out in (default Asia/Shanghai). */
  timeZone?: string;
  /** Multiplier on every event volume (default 1: ~190k events per month for 300 staff). */
  intensity?: number;
  /**
   * Multiplier on work planned ahead — the month's meter-reading plan, the day's bills, complaints
   * about field staff — which is drawn for the rest of its month or day at once (default: intensity).
   * A live run at a high intensity keeps it low: 600× a month's plan is millions of pending events.
   */
  planIntensity?: number;
  /** Share of extra malformed payloads, per valid event (default 0). */
  malformedRate?: number;
  /** Share of valid events re-emitted later with the same eventId (default 0). */
  duplicateRate?: number;
  /** Local days of the month (1–31) with a storm: ~5× repair tickets, slower arrivals (default none). */
  stormDays?: readonly number[];
  /** Working-day calendar and commitments (default DEFAULT_RULES of @cs/appraisal with timeZone). */
  rules?: Rules;
  /** Codecs used to build malformed payloads (created on first need when omitted). */
  codecs?: Codecs;
  /**
   * An instant in the window: the roster then also moves one staff member (a hotline agent where
   * two teams have them) to another team with their role, effective that local day (a dated
   * profile, README "Effective-dated roster"). Default: no transfer.
   */
  transferAt?: number;
}

/** A valid event (or a roster profile) to publish. */
export interface SimEventItem {
  topic: SourceTopicKey | 'roster';
  /** Kafka message key (events.md rule: staffId with one staff member, else ticket / call id). */
  key: string;
  event: SourceEvent | StaffProfile;
  /** True on a producer-retry re-emission of an event already in the stream. */
  duplicate?: true;
}

/** Raw bytes that the consumer must dead-letter with `expectedClass`. */
export interface SimMalformedItem {
  topic: SourceTopicKey;
  key: string;
  bytes: Buffer;
  expectedClass: ExpectedErrorClass;
  sort: MalformedSort;
}

export type SimItem = SimEventItem | SimMalformedItem;

export function isMalformed(item: SimItem): item is SimMalformedItem {
  return 'bytes' in item;
}

export interface SimStats {
  /** Valid events emitted (duplicates excluded), per kind. */
  byKind: Record<string, number>;
  events: number;
  duplicates: number;
  malformed: number;
  /** Largest number of scheduled-but-unreleased items held at once. */
  peakPending: number;
}

export interface Simulation {
  readonly options: Readonly<Required<Omit<SimulationOptions, 'codecs' | 'rules' | 'transferAt'>>> & { rules: Rules };
  /** Active roster (updatedAt = startMs), base profiles. */
  readonly roster: StaffProfile[];
  /** The dated transfer profile (options.transferAt), or null. */
  readonly transfer: StaffProfile | null;
  /** The hidden skill of every staff member, in [0, 1]. */
  readonly skills: Map<string, number>;
  readonly teams: readonly SimTeam[];
  /** The roster (and the transfer, if any) as items for the `roster` topic (publish these first). */
  rosterItems(): SimEventItem[];
  /**
   * The whole window [startMs, endMs) as one stream in occurredAt order (duplicates and malformed
   * items placed shortly after their originals). Each call starts afresh and yields the identical
   * stream. Requires a finite endMs.
   */
  items(): Generator<SimItem>;
  /**
   * Live mode: the items with emission time in [fromMs, toMs), continuing one stateful generator,
   * so consecutive windows (each starting where the last ended; the first at startMs) concatenate
   * to exactly the stream `items()` gives. A gap is generated and discarded; overlapping throws.
   */
  liveWindow(fromMs: number, toMs: number): Generator<SimItem>;
  /** Counters of the live generator (or of the last `items()` run). */
  stats(): SimStats;
}

// ---------------------------------------------------------------------------------------------
// Volumes (per unit of intensity)

/** Contacts per hotline agent per working shift. */
const HOTLINE_CONTACTS_PER_SHIFT = 28;
/** Visitors per hall clerk per working day. */
const HALL_CONTACTS_PER_DAY = 18;
const WORK_ORDERS_PER_CLERK_DAY = 3;
const REPAIR_TICKETS_PER_TEAM_DAY = 7;
const OUTAGE_NOTICES_PER_TEAM_MONTH = 10;
const READINGS_PER_READER_MONTH = 150;
const BILLS_PER_CLERK_MONTH = 180;
const BILLING_DAYS = 12; // bills go out on the working days among the first 12 of the month

/** 95598 arrivals by local hour (relative; peaks mid-morning and early afternoon). */
const HOTLINE_DIURNAL = [
  0.15, 0.1, 0.08, 0.07, 0.08, 0.15, 0.35, 0.8, 1.5, 1.9, 2.0, 1.8, 1.3, 1.4, 1.75, 1.7, 1.5, 1.2, 1.0, 0.95, 0.85, 0.65, 0.4, 0.25,
];
const HOTLINE_DIURNAL_SUM = HOTLINE_DIURNAL.reduce((a, b) => a + b, 0);
const HOTLINE_DIURNAL_MAX = Math.max(...HOTLINE_DIURNAL);
/** Faults by local hour (flatter; evening load peak). */
const REPAIR_DIURNAL = [
  0.5, 0.4, 0.35, 0.35, 0.4, 0.5, 0.7, 0.9, 1.1, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.25, 1.35, 1.5, 1.55, 1.45, 1.2, 0.9, 0.7,
];
const REPAIR_DIURNAL_SUM = REPAIR_DIURNAL.reduce((a, b) => a + b, 0);

const HOTLINE_CATEGORIES = weightTable<ContactCategory>([
  ['INQUIRY', 34], ['BUSINESS', 14], ['BILLING', 18], ['REPAIR', 22], ['COMPLAINT', 5], ['REPORT', 4], ['SUGGESTION', 3],
]);
const STORM_CATEGORIES = weightTable<ContactCategory>([
  ['INQUIRY', 22], ['BUSINESS', 6], ['BILLING', 8], ['REPAIR', 52], ['COMPLAINT', 6], ['REPORT', 5], ['SUGGESTION', 1],
]);
const HALL_CATEGORIES = weightTable<ContactCategory>([
  ['INQUIRY', 25], ['BUSINESS', 35], ['BILLING', 30], ['REPAIR', 2], ['COMPLAINT', 3], ['REPORT', 3], ['SUGGESTION', 2],
]);
const HANDLE_FACTOR: Record<ContactCategory, number> = {
  INQUIRY: 0.75, BUSINESS: 1.15, BILLING: 1.05, REPAIR: 0.95, COMPLAINT: 1.6, REPORT: 0.9, SUGGESTION: 0.85,
};
const FCR_ADJUST: Record<ContactCategory, number> = {
  INQUIRY: 0.04, BUSINESS: -0.02, BILLING: 0, REPAIR: -0.04, COMPLAINT: -0.18, REPORT: 0.02, SUGGESTION: 0.05,
};
const CALLBACK_PROB: Record<ContactCategory, number> = {
  INQUIRY: 0, BUSINESS: 0.12, BILLING: 0.05, REPAIR: 0.25, COMPLAINT: 0.9, REPORT: 0.1, SUGGESTION: 0.3,
};
const NOT_RESOLVED = weightTable<Resolution>([['ESCALATED', 40], ['TRANSFERRED', 35], ['UNRESOLVED', 25]]);
const VIOLATIONS: readonly Violation[] = ['GREETING', 'SCRIPT', 'VERIFICATION', 'INFORMATION', 'COURTESY', 'CLOSING', 'RECORD'];

const WORK_ORDER_TYPES = weightTable<WorkOrderType>([
  ['NEW_CONNECTION', 20], ['CAPACITY_INCREASE', 12], ['CHANGE_OF_USE', 8], ['METER_REPLACEMENT', 18], ['METER_REMOVAL_REINSTALL', 7],
  ['SERVICE_LINE_RELOCATION', 6], ['SUPPLY_SCHEME_REPLY', 9], ['METER_TEST', 8], ['COMPLAINT_REPLY', 12],
]);
const CUSTOMER_CLASSES = weightTable<CustomerClass>([
  ['RESIDENTIAL', 68], ['LOW_VOLTAGE_NON_RESIDENTIAL', 22], ['HIGH_VOLTAGE_SINGLE', 8], ['HIGH_VOLTAGE_DUAL', 2],
]);
const AREA_CLASSES = weightTable<AreaClass>([['URBAN', 55], ['RURAL', 35], ['REMOTE', 10]]);
const BILLING_ERRORS: readonly CorrectionReason[] = ['TARIFF_ERROR', 'CALCULATION_ERROR', 'DATA_ENTRY_ERROR'];
const RELATIONS = weightTable<FeedbackRelation>([['SUPERVISOR', 20], ['PEER', 50], ['SUBORDINATE', 10], ['CUSTOMER', 20]]);
const SKILLS: readonly Skill[] = ['SERVICE_ETIQUETTE', 'BUSINESS_KNOWLEDGE', 'PROCESS_EFFICIENCY', 'COMMUNICATION', 'SAFETY', 'TECHNICAL'];

/** Hotline shift starts (local hour) by slot; 8-hour shifts covering the whole day. */
const HOTLINE_SHIFT_START = [8, 12, 16, 8, 0, 10];
const REPAIR_SHIFT_START = [8, 16, 0];
const OFFICE_SHIFT_START = 9;
const SHIFT_MINUTES = 480;

// ---------------------------------------------------------------------------------------------
// Performance curves: g(skill) ≈ where a KPI value sits between the model's floor (0) and target
// (1); mid skill 0.55 ≈ 0.75, so the middle of the staff lands on C/B, the tails on A and D.

function perf(skill: number): number {
  return Math.min(1.25, Math.max(-0.3, (skill + 0.075) / 0.8));
}
const clampP = (p: number, lo = 0.001, hi = 0.999): number => Math.min(hi, Math.max(lo, p));
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const round1 = (v: number): number => Math.round(v * 10) / 10;

interface Perf {
  g: number;
  /** Mean handle time, seconds. */
  aht: number;
  fcr: number;
  satisfied: number;
  qualityMean: number;
  callbackDone: number;
  callbackOnTime: number;
  lateShift: number;
  absent: number;
  complaintPerContact: number;
  workOrderOnTime: number;
  rework: number;
  readingOnTime: number;
  readingMissed: number;
  readingError: number;
  billingError: number;
  collectedOnTime: number;
  noticeOnTime: number;
  /** Relative share of the queue's traffic an agent takes (faster agents take more). */
  throughput: number;
}

function perfOf(skill: number): Perf {
  const g = perf(skill);
  return {
    g,
    aht: 600 - 300 * g,
    fcr: clampP(0.6 + 0.3 * g, 0.4, 0.97),
    satisfied: clampP(0.8 + 0.19 * g, 0.55, 0.995),
    qualityMean: 60 + 35 * g,
    callbackDone: clampP(0.9 + 0.1 * g, 0.75, 0.998),
    callbackOnTime: clampP(0.8 + 0.2 * g, 0.55, 0.995),
    lateShift: clampP(0.07 * (1 - g), 0.004, 0.2),
    absent: clampP(0.05 * (1 - g), 0.002, 0.12),
    complaintPerContact: 0.0002 + 0.003 * Math.max(0, 1 - g) ** 2,
    workOrderOnTime: clampP(0.85 + 0.15 * g, 0.6, 0.995),
    rework: clampP(0.15 - 0.13 * g, 0.004, 0.3),
    readingOnTime: clampP(0.95 + 0.05 * g, 0.85, 0.998),
    readingMissed: clampP(0.02 * (1 - g), 0.0005, 0.05),
    readingError: 0.0003 + 0.02 * Math.max(0, 1 - g) ** 2,
    billingError: 0.0003 + 0.02 * Math.max(0, 1 - g) ** 2,
    collectedOnTime: clampP(0.9 + 0.1 * g, 0.75, 0.995),
    noticeOnTime: clampP(0.9 + 0.1 * g, 0.7, 0.995),
    throughput: 0.75 + 0.5 * clamp(g, 0, 1),
  };
}

// ---------------------------------------------------------------------------------------------
// Shared, immutable context of one simulation

interface Ctx {
  seed: number;
  startMs: number;
  endMs: number;
  timeZone: string;
  intensity: number;
  planIntensity: number;
  malformedRate: number;
  duplicateRate: number;
  stormDays: ReadonlySet<number>;
  rules: Rules;
  codecs: () => Codecs;
  teams: readonly SimTeam[];
  staff: readonly SimStaff[];
  perf: readonly Perf[];
  hotline: SimStaff[];
  hall: SimStaff[];
  workOrderClerks: SimStaff[];
  readers: SimStaff[];
  billers: SimStaff[];
  repairTeams: { team: SimTeam; crew: SimStaff[] }[];
  /** Short tag making ids of different runs (seed, start) distinct. */
  tag: string;
}

interface DayInfo {
  date: string;
  start: number;
  end: number;
  dayNumber: number;
  dayOfMonth: number;
  working: boolean;
  storm: boolean;
  /** Hotline agents on shift, by local hour, with routing weights. */
  hotlineByHour: (WeightTable<SimStaff> | null)[];
  /** Repair crew members on shift by local hour, per repair team index. */
  repairByHour: SimStaff[][][];
  /** Staff on duty today (present), by index. */
  onDuty: Uint8Array;
}

type Pending = { e: SourceEvent; dup: boolean } | { m: SimMalformedItem };

// ---------------------------------------------------------------------------------------------
// The engine: one pass over time

class Engine {
  private readonly heap = new MinHeap<Pending>();
  private readonly rng: Rng;
  private readonly aux: Rng;
  private readonly ids: Rng;
  /** the static appraisal's own stream (static-events.ts), ids and document numbers */
  private readonly st: Rng;
  /** its duplicates' stream, so that valid events do not depend on the duplicate rate */
  private readonly stAux: Rng;
  private staticSeqs = 0;
  private staticStarted = false;
  private seqs = 0;
  /** Everything before this was generated (slices drawn up to here). */
  private genCursor: number;
  /** Items with emission time before this have been released. */
  cursor: number;
  private day: DayInfo | null = null;
  private month = '';
  readonly stats: SimStats = { byKind: {}, events: 0, duplicates: 0, malformed: 0, peakPending: 0 };

  constructor(private readonly ctx: Ctx) {
    this.rng = new Rng(ctx.seed, 1);
    this.aux = new Rng(ctx.seed, 2);
    this.ids = new Rng(hashNumbers(ctx.seed, ctx.startMs), 3);
    this.st = new Rng(hashNumbers(ctx.seed, ctx.startMs), 4);
    this.stAux = new Rng(hashNumbers(ctx.seed, ctx.startMs), 5);
    this.genCursor = ctx.startMs;
    this.cursor = ctx.startMs;
  }

  /** Releases every item with emission time < untilMs (clamped to the window end). */
  *advance(untilMs: number): Generator<SimItem> {
    const until = Math.min(untilMs, this.ctx.endMs);
    while (this.genCursor < until) {
      const s = this.genCursor;
      const e = this.slice(s, Math.min(Math.floor(s / HOUR) * HOUR + HOUR, this.ctx.endMs));
      this.genCursor = e;
      yield* this.release(Math.min(e, until));
    }
    yield* this.release(until);
    if (until > this.cursor) this.cursor = until;
  }

  private *release(before: number): Generator<SimItem> {
    const heap = this.heap;
    if (heap.peak > this.stats.peakPending) this.stats.peakPending = heap.peak;
    while (heap.peekAt() < before) {
      const p = heap.pop()!.value;
      if ('m' in p) {
        this.stats.malformed++;
        yield p.m;
        continue;
      }
      const e = p.e;
      const topic = KIND_TOPIC[e.kind] as SourceTopicKey;
      if (p.dup) {
        this.stats.duplicates++;
        yield { topic, key: messageKey(e), event: e, duplicate: true };
      } else {
        this.stats.events++;
        this.stats.byKind[e.kind] = (this.stats.byKind[e.kind] ?? 0) + 1;
        yield { topic, key: messageKey(e), event: e };
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Scheduling

  private eventId(): string {
    return this.ids.uuid();
  }

  private id(prefix: string): string {
    return `${prefix}-${this.ctx.tag}-${(this.seqs++).toString(36).padStart(6, '0')}`;
  }

  /** Schedules a valid event (and, by the aux stream, its duplicate / a malformed sibling). */
  private emit(e: SourceEvent): void {
    const t = e.occurredAt;
    if (t < this.genCursorFloor || t >= this.ctx.endMs) return;
    this.heap.push(t, { e, dup: false });
    const ctx = this.ctx;
    if (ctx.duplicateRate > 0 && this.aux.next() < ctx.duplicateRate) {
      // A producer retry: the same record again, seconds to a few minutes later in the stream.
      const at = t + Math.floor(this.aux.range(500, 180_000));
      if (at < ctx.endMs) this.heap.push(at, { e, dup: true });
    }
    if (ctx.malformedRate > 0 && this.aux.next() < ctx.malformedRate) {
      const at = t + Math.floor(this.aux.range(0, 30_000));
      if (at < ctx.endMs) {
        const topic = KIND_TOPIC[e.kind] as SourceTopicKey;
        const m = buildMalformed(ctx.codecs(), this.aux, topic, e, () => this.aux.uuid());
        this.heap.push(at, { m: { topic: m.topic, key: messageKey(e), bytes: m.bytes, expectedClass: m.expectedClass, sort: m.sort } });
      }
    }
  }

  /** Schedules a static appraisal event (and its duplicate) from the static stream only. */
  private emitStatic(e: SourceEvent): void {
    const t = e.occurredAt;
    if (t < this.genCursorFloor || t >= this.ctx.endMs) return;
    this.heap.push(t, { e, dup: false });
    if (this.ctx.duplicateRate > 0 && this.stAux.next() < this.ctx.duplicateRate) {
      const at = t + Math.floor(this.stAux.range(500, 180_000));
      if (at < this.ctx.endMs) this.heap.push(at, { e, dup: true });
    }
  }

  /** Events before the start of the run are drawn (to keep the stream stable) but not emitted. */
  private get genCursorFloor(): number {
    return this.ctx.startMs;
  }

  // -------------------------------------------------------------------------------------------
  // Calendar

  private dayInfo(date: string): DayInfo {
    const ctx = this.ctx;
    const start = startOfLocalDay(date, ctx.timeZone);
    const end = startOfLocalDay(addDays(date, 1), ctx.timeZone);
    const dayNumber = Math.round(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY);
    const dayOfMonth = +date.slice(8, 10);
    return {
      date,
      start,
      end,
      dayNumber,
      dayOfMonth,
      working: isWorkingDay(date, ctx.rules),
      storm: ctx.stormDays.has(dayOfMonth),
      hotlineByHour: [],
      repairByHour: [],
      onDuty: new Uint8Array(ctx.staff.length),
    };
  }

  /** Draws [s, e) — cut at the local day's end, so day plans always start their day — and returns e. */
  private slice(s: number, maxEnd: number): number {
    const ctx = this.ctx;
    const date = localDate(s, ctx.timeZone);
    if (!this.day || this.day.date !== date) {
      this.day = this.dayInfo(date);
      const month = date.slice(0, 7);
      if (month !== this.month) {
        this.month = month;
        this.monthPlan(s, date);
      }
      this.dayPlan(s, this.day);
    }
    const day = this.day;
    const e = Math.min(maxEnd, day.end);
    const hour = Math.min(23, Math.max(0, Math.floor((s - day.start) / HOUR)));
    const frac = (e - s) / HOUR;
    this.hotlineHour(s, e, hour, frac, day);
    if (day.working && hour >= OFFICE_SHIFT_START && hour < OFFICE_SHIFT_START + 8) {
      this.hallHour(s, e, frac, day);
      this.workOrderHour(s, e, frac, day);
      this.noticeHour(s, e, frac);
    }
    this.repairHour(s, e, hour, frac, day);
    return e;
  }

  // -------------------------------------------------------------------------------------------
  // Month: reading plan, 360° feedback, training, supervisor ratings, complaints about field staff

  private monthPlan(now: number, date: string): void {
    const { ctx, rng } = this;
    const firstDay = `${date.slice(0, 8)}01`;
    const monthStart = startOfLocalDay(firstDay, ctx.timeZone);
    const nextMonth = date.slice(5, 7) === '12' ? `${+date.slice(0, 4) + 1}-01-01` : `${date.slice(0, 5)}${String(+date.slice(5, 7) + 1).padStart(2, '0')}-01`;
    const monthEnd = startOfLocalDay(nextMonth, ctx.timeZone);
    const from = Math.max(now, monthStart);
    const span = monthEnd - from;
    const daysLeft = Math.max(1, Math.round(span / DAY));
    const share = Math.min(1, span / (monthEnd - monthStart));
    const lastDayStart = startOfLocalDay(addDays(nextMonth, -1), ctx.timeZone);
    const tz = ctx.timeZone;

    // Meter-reading plan (抄表计划): published at the start of the month, due on reading days.
    for (const r of ctx.readers) {
      const p = ctx.perf[r.index]!;
      const n = Math.round(READINGS_PER_READER_MONTH * ctx.planIntensity * share);
      for (let k = 0; k < n; k++) {
        const assignedAt = from + Math.floor(rng.range(0, 2 * HOUR));
        // Due at 18:00 local on a reading day at least two days ahead.
        const dueDay = Math.min(daysLeft - 1, 2 + rng.int(Math.max(1, daysLeft - 3)));
        const dueAt = startOfLocalDay(addDays(localDate(from, tz), dueDay), tz) + 18 * HOUR;
        if (dueAt <= assignedAt) continue;
        const taskId = this.id('MR');
        this.emit({ kind: 'MeterReadingAssigned', eventId: this.eventId(), occurredAt: assignedAt, taskId, staffId: r.staffId, dueAt });
        if (rng.chance(p.readingMissed)) continue;
        const remote = rng.chance(0.6);
        let at: number;
        if (remote || rng.chance(p.readingOnTime)) {
          // Remote reads land on the due day; manual ones in the last three days before it.
          at = remote ? dueAt - Math.floor(rng.range(1, 10) * HOUR) : dueAt - Math.floor(rng.range(0.1, 72) * HOUR);
          at = Math.max(at, assignedAt + 1_000);
        } else {
          at = dueAt + Math.floor(rng.range(1, 72) * HOUR);
        }
        const method = remote ? 'REMOTE' : rng.chance(0.06 + 0.1 * Math.max(0, 1 - p.g)) ? 'ESTIMATED' : 'MANUAL';
        this.emit({ kind: 'MeterReadingCompleted', eventId: this.eventId(), occurredAt: at, taskId, staffId: r.staffId, dueAt, method });
        if (rng.chance(p.readingError)) {
          this.emit({
            kind: 'BillCorrected', eventId: this.eventId(), occurredAt: at + Math.floor(rng.range(1, 6) * DAY),
            billId: this.id('BL'), staffId: r.staffId, reason: 'READING_ERROR',
          });
        }
      }
    }

    // The certificate history is reported once, in the run's first month.
    const firstStatic = !this.staticStarted;
    this.staticStarted = true;
    for (const team of ctx.teams) {
      for (const m of team.members) {
        const p = ctx.perf[m.index]!;
        // Supervisor's monthly rating (领导满意度), on the last day of the month.
        const ratedAt = lastDayStart + 15 * HOUR + Math.floor(rng.range(0, 2.5 * HOUR));
        const sup = round1(clamp(rng.normal(60 + 35 * p.g, 4), 0, 100));
        if (ratedAt >= from) this.emit({ kind: 'SupervisorRated', eventId: this.eventId(), occurredAt: ratedAt, staffId: m.staffId, raterId: team.leaderId, score: sup });

        // 360° feedback: three to five a month.
        const nFeedback = Math.round((3 + rng.int(3)) * share);
        for (let k = 0; k < nFeedback; k++) {
          const relation = rng.weighted(RELATIONS);
          const peers = team.members.filter((x) => x !== m);
          const raterId =
            relation === 'SUPERVISOR' || peers.length === 0
              ? team.leaderId
              : relation === 'CUSTOMER'
                ? `CUST-${(rng.u32() % 1_000_000).toString().padStart(6, '0')}`
                : rng.pick(peers).staffId;
          this.emit({
            kind: 'FeedbackGiven', eventId: this.eventId(), occurredAt: from + Math.floor(rng.range(0, span)),
            staffId: m.staffId, raterId, relation, score: round1(clamp(rng.normal(60 + 35 * p.g, 8), 0, 100)),
          });
        }

        // Training, more often for weaker staff.
        if (rng.chance((0.25 + 0.25 * Math.max(0, 1 - p.g)) * share)) {
          const pre = clamp(rng.normal(50 + 30 * p.g, 10), 0, 95);
          const post = clamp(pre + rng.range(3, 30), 0, 100);
          this.emit({
            kind: 'TrainingCompleted', eventId: this.eventId(), occurredAt: from + Math.floor(rng.range(0, span)),
            staffId: m.staffId, courseId: `TRN-${date.slice(0, 7)}-${rng.intIn(1, 24)}`, skill: rng.pick(SKILLS),
            preScore: round1(pre), postScore: round1(post),
          });
        }

        // Skill assessments and certificates (static appraisal).
        const window = { from, monthEnd, first: firstStatic };
        const seq = (prefix: string) => `${prefix}-${ctx.tag}-${(this.staticSeqs++).toString(36).padStart(5, '0')}`;
        for (const e of staticEvents(this.st, { staffId: m.staffId, role: m.role, g: p.g }, window, () => this.st.uuid(), seq)) this.emitStatic(e);

        // Complaints about staff who do not handle contacts (billing, readings, work orders, repairs).
        if (m.role !== 'HOTLINE_AGENT' && m.role !== 'HALL_CLERK') {
          const n = rng.poisson((0.04 + 0.5 * Math.max(0, 1 - p.g) ** 2) * share * ctx.planIntensity);
          for (let k = 0; k < n; k++) this.complaint(m, from + Math.floor(rng.range(0, span)));
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Day: shifts (attendance), who is on duty per hour, bills

  private works(m: SimStaff, day: DayInfo): boolean {
    if (m.role === 'HOTLINE_AGENT' || m.role === 'REPAIR_CREW') return (day.dayNumber + m.slot) % 7 >= 2; // 5 on, 2 off, rotating
    return day.working;
  }

  private shiftStartHour(m: SimStaff): number {
    if (m.role === 'HOTLINE_AGENT') return HOTLINE_SHIFT_START[m.slot % HOTLINE_SHIFT_START.length]!;
    if (m.role === 'REPAIR_CREW') return REPAIR_SHIFT_START[m.slot % REPAIR_SHIFT_START.length]!;
    return OFFICE_SHIFT_START;
  }

  private dayPlan(now: number, day: DayInfo): void {
    const { ctx, rng } = this;
    const hotlineHours: [SimStaff, number][][] = Array.from({ length: 24 }, () => []);
    const repairHours: SimStaff[][][] = ctx.repairTeams.map(() => Array.from({ length: 24 }, () => []));
    const repairTeamIndex = new Map(ctx.repairTeams.map((t, i) => [t.team.index, i]));
    for (const m of ctx.staff) {
      if (!this.works(m, day)) continue;
      const p = ctx.perf[m.index]!;
      const startHour = this.shiftStartHour(m);
      const shiftStart = day.start + startHour * HOUR;
      const absent = rng.chance(p.absent);
      const late = !absent && rng.chance(p.lateShift);
      const lateMin = late ? rng.intIn(5, 50) : 0;
      const leftEarly = !absent && rng.chance(p.absent) ? rng.intIn(30, 180) : 0;
      const attended = absent ? 0 : Math.max(0, SHIFT_MINUTES - lateMin - leftEarly);
      const end = shiftStart + SHIFT_MINUTES * MIN;
      this.emit({
        kind: 'ShiftAttended', eventId: this.eventId(), occurredAt: end + Math.floor(rng.range(0, 20 * MIN)),
        staffId: m.staffId, shiftId: `SH-${m.staffId}-${day.date.replaceAll('-', '')}`,
        scheduledMinutes: SHIFT_MINUTES, attendedMinutes: attended, late,
      });
      if (absent) continue;
      day.onDuty[m.index] = 1;
      if (m.role === 'HOTLINE_AGENT') {
        for (let h = 0; h < 8; h++) hotlineHours[(startHour + h) % 24]!.push([m, p.throughput]);
      } else if (m.role === 'REPAIR_CREW') {
        const ti = repairTeamIndex.get(m.teamIndex)!;
        for (let h = 0; h < 8; h++) repairHours[ti]![(startHour + h) % 24]!.push(m);
      }
    }
    // Hours nobody covers (rest-day gaps) fall back to everyone on duty today.
    const allHotline = hotlineHours.flat();
    const anyHotline = allHotline.length > 0 ? weightTable(allHotline) : ctx.hotline.length > 0 ? weightTable(ctx.hotline.map((m) => [m, 1] as const)) : null;
    day.hotlineByHour = hotlineHours.map((list) => (list.length > 0 ? weightTable(list) : anyHotline));
    day.repairByHour = repairHours;

    // Bills go out on the working days among the first BILLING_DAYS days of the month.
    if (day.working && day.dayOfMonth <= BILLING_DAYS) {
      const billingDays = Math.max(1, Math.round((BILLING_DAYS * 5) / 7));
      for (const b of ctx.billers) {
        const p = ctx.perf[b.index]!;
        const n = rng.poisson((BILLS_PER_CLERK_MONTH / billingDays) * ctx.planIntensity);
        for (let k = 0; k < n; k++) {
          const issuedAt = day.start + OFFICE_SHIFT_START * HOUR + Math.floor(rng.range(0, 8 * HOUR));
          if (issuedAt < now) {
            rng.next();
            continue;
          }
          this.bill(b, p, issuedAt);
        }
      }
    }
  }

  private bill(b: SimStaff, p: Perf, issuedAt: number): void {
    const { rng, ctx } = this;
    const billId = this.id('BL');
    const commercial = rng.chance(0.12);
    const amountDueCents = Math.max(100, Math.round(rng.lognormalMean(commercial ? 1_800_000 : 16_000, commercial ? 0.9 : 0.6)));
    // Due at 24:00 local of the 20th day after issue.
    const dueAt = startOfLocalDay(addDays(localDate(issuedAt, ctx.timeZone), 21), ctx.timeZone);
    this.emit({ kind: 'BillIssued', eventId: this.eventId(), occurredAt: issuedAt, billId, staffId: b.staffId, amountDueCents, dueAt });
    const pay = (at: number, amountCents: number): void =>
      this.emit({ kind: 'PaymentReceived', eventId: this.eventId(), occurredAt: at, billId, staffId: b.staffId, amountCents, dueAt });
    if (rng.chance(p.collectedOnTime)) {
      if (rng.chance(0.08)) {
        // Paid in two instalments.
        const first = Math.round(amountDueCents * rng.range(0.3, 0.7));
        const t1 = issuedAt + Math.floor(rng.range(0.2, 0.6) * (dueAt - issuedAt));
        pay(t1, first);
        pay(t1 + Math.floor(rng.range(0.05, 0.95) * (dueAt - t1)), amountDueCents - first);
      } else {
        pay(issuedAt + Math.floor(rng.range(0.02, 1) * (dueAt - issuedAt)), amountDueCents);
      }
    } else if (rng.chance(0.6)) {
      pay(dueAt + Math.floor(rng.range(1, 25) * DAY), amountDueCents); // late (arrears collected later)
    } // else: arrears, never paid in the simulated horizon
    if (rng.chance(p.billingError)) {
      this.emit({
        kind: 'BillCorrected', eventId: this.eventId(), occurredAt: issuedAt + Math.floor(rng.range(1, 10) * DAY),
        billId, staffId: b.staffId, reason: rng.pick(BILLING_ERRORS),
      });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Hour: contacts

  private hotlineHour(s: number, e: number, hour: number, frac: number, day: DayInfo): void {
    const { ctx, rng } = this;
    const table = day.hotlineByHour[hour];
    if (!table || ctx.hotline.length === 0) return;
    const perDay = ctx.hotline.length * (5 / 7) * HOTLINE_CONTACTS_PER_SHIFT * ctx.intensity * (day.storm ? 1.6 : 1);
    const lambda = (perDay * HOTLINE_DIURNAL[hour]!) / HOTLINE_DIURNAL_SUM * frac;
    const n = rng.poisson(lambda);
    const load = HOTLINE_DIURNAL[hour]! / HOTLINE_DIURNAL_MAX;
    const categories = day.storm ? STORM_CATEGORIES : HOTLINE_CATEGORIES;
    for (let k = 0; k < n; k++) {
      const arrival = s + Math.floor(rng.range(0, e - s));
      const online = rng.chance(0.15);
      const category = rng.weighted(categories);
      const queue = online ? 'online' : category === 'REPAIR' || category === 'REPORT' ? '95598-repair' : category === 'BILLING' ? '95598-billing' : '95598-general';
      const callId = this.id('CALL');
      const abandonP = (online ? 0.01 : 0.015 + 0.035 * load) + (day.storm ? 0.08 : 0);
      if (rng.chance(abandonP)) {
        const waitSeconds = round1(5 + rng.exponential(day.storm ? 90 : 40));
        this.emit({ kind: 'CallAbandoned', eventId: this.eventId(), occurredAt: arrival + Math.round(waitSeconds * 1000), callId, queue, waitSeconds });
        continue;
      }
      // Mean wait 3-12 s with load: ~85 % within 20 s on a normal day (the 80/20 target is met),
      // well below it in a storm (x3), so the operations view shows real breaches, not a constant one.
      const waitSeconds = round1(rng.exponential((online ? 9 : 3 + 9 * load) * (day.storm ? 3 : 1)));
      const agent = rng.weighted(table);
      const answeredAt = arrival + Math.round(waitSeconds * 1000);
      this.emit({ kind: 'CallAnswered', eventId: this.eventId(), occurredAt: answeredAt, callId, staffId: agent.staffId, queue, waitSeconds });
      this.contact(agent, online ? 'ONLINE' : 'HOTLINE', category, callId, answeredAt, 0.3);
    }
  }

  private hallHour(s: number, e: number, frac: number, day: DayInfo): void {
    const { ctx, rng } = this;
    const present = ctx.hall.filter((m) => day.onDuty[m.index] === 1);
    if (present.length === 0) return;
    const table = weightTable(present.map((m) => [m, ctx.perf[m.index]!.throughput] as const));
    const n = rng.poisson((present.length * HALL_CONTACTS_PER_DAY * ctx.intensity * frac) / 8);
    for (let k = 0; k < n; k++) {
      const at = s + Math.floor(rng.range(0, e - s));
      this.contact(rng.weighted(table), 'HALL', rng.weighted(HALL_CATEGORIES), this.id('HALL'), at, 0.5);
    }
  }

  /** One handled contact and everything that follows from it. */
  private contact(m: SimStaff, channel: Channel, category: ContactCategory, callId: string, startedAt: number, surveyRate: number): void {
    const { ctx, rng } = this;
    const p = ctx.perf[m.index]!;
    const handle = rng.lognormalMean(p.aht * HANDLE_FACTOR[category], 0.35);
    const holdShare = rng.chance(0.35) ? rng.range(0.03, 0.2) : 0;
    const wrapShare = rng.range(0.1, 0.25);
    const talkSeconds = round1(handle * (1 - holdShare - wrapShare));
    const holdSeconds = round1(handle * holdShare);
    const wrapSeconds = round1(handle * wrapShare);
    const resolved = rng.chance(clampP(p.fcr + FCR_ADJUST[category], 0.2, 0.99));
    const resolution: Resolution = resolved ? 'RESOLVED' : rng.weighted(NOT_RESOLVED);
    const doneAt = startedAt + Math.round((talkSeconds + holdSeconds + wrapSeconds) * 1000);
    this.emit({
      kind: 'ContactCompleted', eventId: this.eventId(), occurredAt: doneAt, callId, staffId: m.staffId,
      channel, category, talkSeconds, holdSeconds, wrapSeconds, resolution,
    });

    if (rng.chance(surveyRate)) {
      const satisfied = rng.chance(clampP(p.satisfied - (resolved ? 0 : 0.12), 0.3, 0.998));
      const score = satisfied ? (rng.chance(0.72) ? 5 : 4) : rng.weighted(DISSATISFIED);
      this.emit({ kind: 'SurveyAnswered', eventId: this.eventId(), occurredAt: doneAt + Math.floor(rng.range(20_000, 15 * MIN)), callId, staffId: m.staffId, score });
    }

    if (rng.chance(0.03)) {
      // Quality inspection (质检) of the recording, one to three days later in office hours.
      const score = round1(clamp(rng.normal(p.qualityMean, 6), 20, 100));
      const pv = (100 - score) / 160;
      const violations = VIOLATIONS.filter(() => rng.chance(pv));
      const day0 = startOfLocalDay(addDays(localDate(doneAt, ctx.timeZone), rng.intIn(1, 3)), ctx.timeZone);
      this.emit({
        kind: 'QualityInspected', eventId: this.eventId(), occurredAt: day0 + Math.floor(rng.range(9 * HOUR, 17 * HOUR)),
        callId, staffId: m.staffId, score, violations,
      });
    }

    const cbP = CALLBACK_PROB[category] + (resolved ? 0 : 0.1);
    if (rng.chance(cbP)) {
      // Callback (回访) owed within 24 h.
      const assignedAt = doneAt + Math.floor(rng.range(MIN, 30 * MIN));
      const dueAt = assignedAt + 24 * HOUR;
      const ticketId = this.id('CB');
      this.emit({ kind: 'CallbackAssigned', eventId: this.eventId(), occurredAt: assignedAt, ticketId, staffId: m.staffId, dueAt });
      if (rng.chance(p.callbackDone)) {
        const at = rng.chance(p.callbackOnTime)
          ? assignedAt + Math.floor(rng.range(0.05, 1) * 24 * HOUR)
          : dueAt + Math.floor(rng.range(0.5, 48) * HOUR);
        const r = rng.next();
        const outcome = r < 0.1 ? 'UNREACHABLE' : r < 0.1 + 0.9 * clampP(0.55 + 0.4 * p.g, 0.3, 0.97) ? 'SATISFIED' : 'UNSATISFIED';
        this.emit({ kind: 'CallbackCompleted', eventId: this.eventId(), occurredAt: at, ticketId, staffId: m.staffId, dueAt, outcome });
      }
    }

    if (rng.chance(p.complaintPerContact * (category === 'COMPLAINT' ? 3 : 1))) {
      this.complaint(m, doneAt + Math.floor(rng.range(2, 10) * DAY));
    }
  }

  private complaint(m: SimStaff, at: number): void {
    const { ctx, rng } = this;
    const p = ctx.perf[m.index]!;
    const serious = rng.chance(0.03);
    this.emit({
      kind: 'ComplaintAgainstStaff', eventId: this.eventId(), occurredAt: at, complaintId: this.id('CP'), staffId: m.staffId,
      severity: serious ? 'SERIOUS' : 'GENERAL', substantiated: rng.chance(clampP(0.3 + 0.35 * (1 - p.g), 0.1, 0.8)),
    });
  }

  // -------------------------------------------------------------------------------------------
  // Hour: work orders, outage notices, repairs

  private workOrderHour(s: number, e: number, frac: number, day: DayInfo): void {
    const { ctx, rng } = this;
    for (const m of ctx.workOrderClerks) {
      if (day.onDuty[m.index] !== 1) continue;
      const n = rng.poisson((WORK_ORDERS_PER_CLERK_DAY * ctx.intensity * frac) / 8);
      for (let k = 0; k < n; k++) this.workOrder(m, s + Math.floor(rng.range(0, e - s)));
    }
  }

  private workOrder(m: SimStaff, acceptedAt: number): void {
    const { ctx, rng } = this;
    const p = ctx.perf[m.index]!;
    const type = rng.weighted(WORK_ORDER_TYPES);
    const customerClass = type === 'METER_TEST' || type === 'COMPLAINT_REPLY' ? (rng.chance(0.85) ? 'RESIDENTIAL' : 'LOW_VOLTAGE_NON_RESIDENTIAL') : rng.weighted(CUSTOMER_CLASSES);
    const deadline = workOrderDeadline(type, customerClass, acceptedAt, ctx.rules);
    // Half the upstream systems send the deadline; for the rest the system derives it.
    const dueAt = rng.chance(0.5) ? deadline : null;
    const orderId = this.id('WO');
    this.emit({ kind: 'WorkOrderAccepted', eventId: this.eventId(), occurredAt: acceptedAt, orderId, staffId: m.staffId, type, customerClass, dueAt });
    const at = rng.chance(p.workOrderOnTime)
      ? acceptedAt + Math.floor(rng.range(0.15, 0.98) * (deadline - acceptedAt))
      : deadline + Math.floor(rng.range(0.2, 6) * DAY);
    this.emit({
      kind: 'WorkOrderCompleted', eventId: this.eventId(), occurredAt: at, orderId, staffId: m.staffId, type, customerClass,
      acceptedAt, dueAt, reworked: rng.chance(p.rework),
    });
  }

  private noticeHour(s: number, e: number, frac: number): void {
    const { ctx, rng } = this;
    const lambda = (ctx.repairTeams.length * OUTAGE_NOTICES_PER_TEAM_MONTH * ctx.intensity * frac) / (22 * 8);
    const n = rng.poisson(lambda);
    for (let k = 0; k < n; k++) {
      const rt = rng.pick(ctx.repairTeams);
      if (rt.crew.length === 0) continue;
      const m = rng.pick(rt.crew);
      const p = ctx.perf[m.index]!;
      const at = s + Math.floor(rng.range(0, e - s));
      const planned = rng.chance(0.75);
      const leadMin = planned ? 7 * 24 * 60 : 24 * 60;
      const onTime = rng.chance(p.noticeOnTime);
      const lead = onTime ? leadMin * rng.range(1, planned ? 2 : 3) : leadMin * rng.range(0.4, 0.98);
      this.emit({
        kind: 'OutageNoticePublished', eventId: this.eventId(), occurredAt: at, noticeId: this.id('ON'), staffId: m.staffId,
        noticeType: planned ? 'PLANNED' : 'TEMPORARY', outageStartsAt: at + Math.ceil(lead) * MIN,
      });
    }
  }

  private repairHour(s: number, e: number, hour: number, frac: number, day: DayInfo): void {
    const { ctx, rng } = this;
    const rts = ctx.repairTeams.length;
    if (rts === 0) return;
    const perDay = rts * REPAIR_TICKETS_PER_TEAM_DAY * ctx.intensity * (day.storm ? 5 : 1);
    const n = rng.poisson(((perDay * REPAIR_DIURNAL[hour]!) / REPAIR_DIURNAL_SUM) * frac);
    const rules = ctx.rules;
    for (let k = 0; k < n; k++) {
      const ti = rng.int(rts);
      const rt = ctx.repairTeams[ti]!;
      if (rt.crew.length === 0) continue;
      const reportedAt = s + Math.floor(rng.range(0, e - s));
      // Crew: 1–4 members on shift (else on duty today, else anyone in the team).
      let pool = day.repairByHour[ti]?.[hour] ?? [];
      if (pool.length === 0) pool = rt.crew.filter((m) => day.onDuty[m.index] === 1);
      if (pool.length === 0) pool = rt.crew;
      const size = Math.min(pool.length, 1 + rng.int(4));
      const crew = sample(rng, pool, size);
      const g = crew.reduce((a, m) => a + ctx.perf[m.index]!.g, 0) / crew.length;
      const areaClass = rng.weighted(AREA_CLASSES);
      const commitMs = rules.commitments.repairArrivalMinutes[areaClass] * MIN;
      const restoreMs = rules.commitments.restorationMinutes[areaClass] * MIN;
      const storm = day.storm;
      const arriveOk = rng.chance(clampP(0.88 + 0.15 * g - (storm ? 0.2 : 0), 0.3, 0.995));
      const arrivedAt = reportedAt + Math.floor(arriveOk ? rng.range(0.25, 1) * commitMs : commitMs + rng.range(1, storm ? 180 : 60) * MIN);
      const crewStaffIds = crew.map((m) => m.staffId);
      const ticketId = this.id('RT');
      this.emit({ kind: 'RepairArrived', eventId: this.eventId(), occurredAt: arrivedAt, ticketId, crewStaffIds, areaClass, reportedAt });
      const restoreOk = rng.chance(clampP(0.85 + 0.2 * g - (storm ? 0.2 : 0), 0.3, 0.995));
      const restoredAt = arrivedAt + Math.floor(restoreOk ? rng.range(0.1, 1) * restoreMs : restoreMs + rng.range(10, storm ? 600 : 240) * MIN);
      this.emit({ kind: 'RepairRestored', eventId: this.eventId(), occurredAt: restoredAt, ticketId, crewStaffIds, areaClass, reportedAt, arrivedAt });
      if (rng.chance(0.6)) {
        const satisfied = rng.chance(clampP(0.8 + 0.19 * g - (arriveOk ? 0 : 0.15), 0.3, 0.995));
        this.emit({
          kind: 'RepairFeedback', eventId: this.eventId(), occurredAt: restoredAt + Math.floor(rng.range(0.5, 30) * HOUR),
          ticketId, crewStaffIds, score: satisfied ? (rng.chance(0.7) ? 5 : 4) : rng.weighted(DISSATISFIED),
        });
      }
    }
  }
}

const DISSATISFIED = weightTable<number>([[3, 55], [2, 25], [1, 20]]);

/** k distinct items of xs (partial Fisher–Yates on a copy). */
function sample<T>(rng: Rng, xs: readonly T[], k: number): T[] {
  const a = xs.slice();
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(a.length - i);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a.slice(0, n);
}

// ---------------------------------------------------------------------------------------------
// Factory

let sharedCodecs: Codecs | null = null;

/**
 * A simulated province: roster with hidden skills, and a deterministic event stream over
 * [startMs, endMs). Same options => byte-identical items. The valid events do not depend on
 * malformedRate / duplicateRate (those draw from their own PRNG stream).
 */
export function createSimulation(opts: SimulationOptions): Simulation {
  const timeZone = opts.timeZone ?? 'Asia/Shanghai';
  const endMs = opts.endMs ?? Infinity;
  if (!Number.isSafeInteger(opts.startMs)) throw new RangeError(`startMs must be epoch milliseconds, got ${opts.startMs}`);
  if (!(endMs > opts.startMs)) throw new RangeError('endMs must be after startMs');
  if (!Number.isFinite(opts.seed)) throw new RangeError('seed must be a finite number');
  const intensity = opts.intensity ?? 1;
  if (!(intensity >= 0) || !Number.isFinite(intensity)) throw new RangeError('intensity must be a finite number >= 0');
  const planIntensity = opts.planIntensity ?? intensity;
  if (!(planIntensity >= 0) || !Number.isFinite(planIntensity)) throw new RangeError('planIntensity must be a finite number >= 0');
  const malformedRate = opts.malformedRate ?? 0;
  const duplicateRate = opts.duplicateRate ?? 0;
  for (const [name, v] of [['malformedRate', malformedRate], ['duplicateRate', duplicateRate]] as const) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${v}`);
  }
  const stormDays = [...(opts.stormDays ?? [])];
  const rules: Rules = opts.rules ?? { ...DEFAULT_RULES, timeZone };
  const teams = buildOrganisation(opts.seed, opts.teams, opts.staffPerTeam);
  const staff = teams.flatMap((t) => t.members);
  const byRole = (role: SimStaff['role']): SimStaff[] => staff.filter((m) => m.role === role);
  const ctx: Ctx = {
    seed: opts.seed,
    startMs: opts.startMs,
    endMs,
    timeZone,
    intensity,
    planIntensity,
    malformedRate,
    duplicateRate,
    stormDays: new Set(stormDays),
    rules,
    codecs: () => opts.codecs ?? (sharedCodecs ??= loadCodecs()),
    teams,
    staff,
    perf: staff.map((m) => perfOf(m.skill)),
    hotline: byRole('HOTLINE_AGENT'),
    hall: byRole('HALL_CLERK'),
    workOrderClerks: byRole('WORK_ORDER_CLERK'),
    readers: byRole('METER_READER'),
    billers: byRole('BILLING_CLERK'),
    repairTeams: teams.filter((t) => t.kind === 'REPAIR').map((team) => ({ team, crew: team.members.filter((m) => m.role === 'REPAIR_CREW') })),
    tag: (hashNumbers(opts.seed, opts.startMs) % 36 ** 4).toString(36).padStart(4, '0'),
  };
  const roster = profilesOf(teams, opts.startMs);
  if (opts.transferAt !== undefined && !(opts.transferAt >= opts.startMs && opts.transferAt < endMs)) throw new RangeError('transferAt must lie in [startMs, endMs)');
  const transfer = opts.transferAt === undefined ? null : transferOf(teams, localDate(opts.transferAt, timeZone), opts.startMs);
  const skills = new Map(staff.map((m) => [m.staffId, m.skill]));
  let live: Engine | null = null;
  let last: Engine | null = null;

  return {
    options: { seed: opts.seed, teams: opts.teams, staffPerTeam: opts.staffPerTeam, startMs: opts.startMs, endMs, timeZone, intensity, planIntensity, malformedRate, duplicateRate, stormDays, rules },
    roster,
    skills,
    teams,
    transfer,
    rosterItems: () => [...roster, ...(transfer ? [transfer] : [])].map((p) => ({ topic: 'roster' as const, key: messageKey(p), event: p })),
    items() {
      if (!Number.isFinite(endMs)) throw new RangeError('items() needs a finite endMs; use liveWindow() for an open-ended run');
      const engine = new Engine(ctx);
      last = engine;
      return engine.advance(endMs);
    },
    liveWindow(fromMs, toMs) {
      live ??= new Engine(ctx);
      const engine = live;
      last = engine;
      if (fromMs < engine.cursor) throw new RangeError(`window starts at ${fromMs}, before the end of the previous one (${engine.cursor})`);
      return (function* () {
        if (fromMs > engine.cursor) for (const _ of engine.advance(fromMs)) void _; // gap: drawn, not emitted
        yield* engine.advance(toMs);
      })();
    },
    stats: () => {
      const s = (last ?? live)?.stats;
      return s ? { ...s, byKind: { ...s.byKind } } : { byKind: {}, events: 0, duplicates: 0, malformed: 0, peakPending: 0 };
    },
  };
}

// Called on first need, so a simulation without malformed items never reads the catalogue.
function loadCodecs(): Codecs {
  return createCodecs();
}

/** Collects a whole finite simulation (tests, small demos; prefer streaming `items()` for big runs). */
export function collectItems(sim: Simulation): SimItem[] {
  return [...sim.items()];
}

/** Kafka-ready message of an item: the topic key, message key and Avro-framed value. */
export function encodeItem(codecs: Codecs, item: SimItem): { topic: SimItem['topic']; key: string; value: Buffer } {
  if (isMalformed(item)) return { topic: item.topic, key: item.key, value: item.bytes };
  return { topic: item.topic, key: item.key, value: codecs.encode(item.topic, item.event) };
}
