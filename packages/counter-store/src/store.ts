import type { Redis, Cluster } from 'ioredis';
import { orderNotes, type CorrectionNote, type StaticRecord } from '@cs/appraisal';
import { CsError } from '@cs/contracts/errors';
import { defineCounterScripts, APPLY_CODES, type CounterScripts } from './scripts.ts';
import { effectProblem, InvalidIncrementError } from './increments.ts';
import {
  bucketTtlSeconds,
  changedKey,
  counterSuffix,
  offsetField,
  offsetsKey,
  rosterKey,
  rosterOffsetsKey,
  seenSuffix,
  shardPrefix,
  shardsKey,
  slaSuffix,
  queueStaffSuffix,
  queueStaffField,
  correctionsSuffix,
  effectSuffix,
  staffIndexSuffix,
  unknownStaffSuffix,
  rulesVersionsSuffix,
  staticSuffix,
  STATIC_INDEX_SUFFIX,
} from './keys.ts';
import { decodeStaticRecord, staticRecordsOfText } from './static-record.ts';

/** What one valid event does to the counters: the aggregator derives it, the store applies it. */
export interface EventEffect {
  eventId: string;
  /** Picks the dedupe generation; the same event always maps to the same one. */
  occurredAt: number;
  counters: { staffId: string; periods: readonly string[]; counter: string; by: number }[];
  sla: { periods: readonly string[]; field: string; by: number }[];
  /** Calls answered, by MONTH, queue and staff member (`qs:<MONTH>`, the team service level); one each. */
  queueStaff?: readonly { month: string; queue: string; staffId: string }[];
  /** The event's recorded effect (effect-record.ts), kept in `fx:<month>` so a correction can reverse it. */
  fx?: { month: string; value: string };
  /**
   * Other hash fields written with the event (HSET): a correction's notes and its once-only marker
   * (with the TTL of `period`'s bucket), a static record (`persistent`: no TTL).
   */
  records?: { hash: string; period: string; field: string; value: string; persistent?: true }[];
  /** Members added to sets kept with no TTL (SADD): the shard's index of staff with static records. */
  indexed?: { set: string; member: string }[];
  /** "<period>|<staffId>" pairs to re-score though no counter of theirs changed (a note). */
  touched?: readonly string[];
  /** Once only: the event is refused (outcome 'guarded') when this field exists, or an earlier event of the batch has the same guard. */
  guard?: { hash: string; field: string };
}

export interface BatchToApply {
  shard: number;
  topic: string;
  partition: number;
  firstOffset: number;
  nextOffset: number;
  effects: EventEffect[];
  /**
   * Quarantine of staff ids the roster does not name: `named(id)` false marks an id unknown, and
   * a shard keeps at most `cap` unknown ids per period. Absent: every staff id is counted.
   */
  unknownStaff?: { cap: number; named: (staffId: string) => boolean };
}

export type ApplyOutcome =
  | {
      status: 'applied';
      counted: number;
      duplicates: number;
      /** indices into `effects` not counted (duplicates) */
      dropped: ReadonlySet<number>;
      /** (period, unknown staff id) pairs newly admitted to the shard's quarantine */
      unknownAdmitted: number;
    }
  | { status: 'stale'; storedOffset: number }
  /** Nothing applied: these events (indices into `effects`) are for unknown staff beyond the cap. */
  | { status: 'overCap'; refused: ReadonlySet<number> }
  /** Nothing applied: these events (indices into `effects`) hit their guard (already done once). */
  | { status: 'guarded'; refused: ReadonlySet<number> };

export interface Profile {
  staffId: string;
  teamId: string;
  role: string;
  active: boolean;
  updatedAt: number;
  /** Local date the profile takes effect; null or absent = the base entry (since always). */
  effectiveFrom?: string | null;
}

/** One roster change: a profile, or a tombstone (null) of the base entry (the whole staff member) or of a dated entry. */
export interface RosterChange {
  staffId: string;
  /** The entry's date; absent = the profile's effectiveFrom (null for a tombstone: the base entry). */
  effectiveFrom?: string | null;
  profile: Profile | null;
}

/** A staff member's roster timeline as stored: profiles ordered by effectiveFrom, the base (null) first. */
export interface StoredTimeline {
  staffId: string;
  entries: Profile[];
}

/** A roster batch that applyRoster-2.lua refused (nothing written). */
export class InvalidRosterChangeError extends CsError {
  constructor(readonly change: RosterChange) {
    super('CS_ROSTER_CHANGE_INVALID', `roster change for ${change.staffId} (${change.effectiveFrom ?? 'base'}) is malformed: the profile's staffId/effectiveFrom must match`, { retriable: false });
  }
}

export interface CounterStoreOptions {
  prefix: string;
  dedupeHorizonMs: number;
  /** How late an event may arrive (CS_MAX_LATENESS_DAYS): the counter buckets are kept that much longer. */
  maxLatenessDays: number;
}

type Fields = Map<string, number>;

/**
 * Sums a batch's increments: period -> staff -> counter -> total, and period -> SLA field ->
 * total. Increments of one staff member mostly share the same periods array (the caller's
 * buckets are memoised per hour), so the target maps are looked up once per (staff, periods)
 * change rather than once per increment and period: this is the aggregator's hottest loop.
 */
function coalesce(effects: readonly EventEffect[]): { staff: Map<string, Map<string, Fields>>; sla: Map<string, Fields>; queueStaff: Map<string, Fields> } {
  const staff = new Map<string, Map<string, Fields>>();
  const sla = new Map<string, Fields>();
  const targetsOf = (staffId: string, periods: readonly string[]): Fields[] =>
    periods.map((p) => {
      let byStaff = staff.get(p);
      if (!byStaff) staff.set(p, (byStaff = new Map()));
      let fields = byStaff.get(staffId);
      if (!fields) byStaff.set(staffId, (fields = new Map()));
      return fields;
    });
  const lastOfStaff = new Map<string, { periods: readonly string[]; targets: Fields[] }>();
  let slaPeriods: readonly string[] | undefined;
  let slaTargets: Fields[] = [];
  for (const e of effects) {
    for (const c of e.counters) {
      let last = lastOfStaff.get(c.staffId);
      if (!last || last.periods !== c.periods) lastOfStaff.set(c.staffId, (last = { periods: c.periods, targets: targetsOf(c.staffId, c.periods) }));
      for (const fields of last.targets) fields.set(c.counter, (fields.get(c.counter) ?? 0) + c.by);
    }
    for (const x of e.sla) {
      if (x.periods !== slaPeriods) {
        slaPeriods = x.periods;
        slaTargets = x.periods.map((p) => {
          let fields = sla.get(p);
          if (!fields) sla.set(p, (fields = new Map()));
          return fields;
        });
      }
      for (const fields of slaTargets) fields.set(x.field, (fields.get(x.field) ?? 0) + x.by);
    }
  }
  return { staff, sla, queueStaff: coalesceQueueStaff(effects) };
}

/** MONTH -> "<queue>|<staffId>" -> calls answered, for `qs:<MONTH>`. */
function coalesceQueueStaff(effects: readonly EventEffect[]): Map<string, Fields> {
  const out = new Map<string, Fields>();
  for (const e of effects) {
    if (!e.queueStaff) continue;
    for (const q of e.queueStaff) {
      let fields = out.get(q.month);
      if (!fields) out.set(q.month, (fields = new Map()));
      const f = queueStaffField(q.queue, q.staffId);
      fields.set(f, (fields.get(f) ?? 0) + 1);
    }
  }
  return out;
}

/**
 * The records of readHashes-1.lua's "object" texts (one per member, in order), through one
 * JSON.parse of the whole chunk: native parsing, and objects V8 keeps in fast mode (a record built
 * key by key turns into a slow dictionary past ~20 keys, which the engine then reads several times
 * slower). Undefined when a text is not JSON or holds a value that is not a number (a name or
 * value written by hand): the caller reads the chunk again as "pairs" (parseFlatHashes).
 */
export function parseCounterObjects(texts: readonly string[]): Record<string, number>[] | undefined {
  let recs: Record<string, number>[];
  try {
    recs = JSON.parse(`[${texts.join(',')}]`) as Record<string, number>[];
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
  if (recs.length !== texts.length) return undefined;
  for (const rec of recs) {
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) return undefined;
    for (const k in rec) if (typeof rec[k] !== 'number') return undefined;
  }
  return recs;
}

/** readHashes-1.lua's "pairs" strings ("field,value,field,value"; "" = none) -> records, values through Number(). */
export function parseFlatHashes(flat: readonly string[]): Record<string, number>[] {
  return flat.map((f) => {
    const rec: Record<string, number> = {};
    if (f === '') return rec;
    const a = String(f).split(',');
    for (let k = 0; k + 1 < a.length; k += 2) rec[a[k]!] = Number(a[k + 1]);
    return rec;
  });
}

/** Per-staff counters in Redis: the atomic batch apply (aggregator) and the reads (scorer). */
export class CounterStore {
  private readonly scripts: CounterScripts;
  constructor(
    readonly redis: Redis | Cluster,
    readonly opts: CounterStoreOptions,
  ) {
    this.scripts = defineCounterScripts(redis);
  }

  private get prefix(): string {
    return this.opts.prefix;
  }

  async registerShard(shard: number): Promise<void> {
    await this.redis.sadd(shardsKey(this.prefix), String(shard));
  }

  async readOffset(shard: number, topic: string, partition: number): Promise<number | null> {
    const v = await this.redis.hget(offsetsKey(this.prefix, shard), offsetField(topic, partition));
    return v === null ? null : Number(v);
  }

  /** How far the aggregator has applied a source partition: the next offset to apply, 0 = nothing (kept in shard = partition). */
  async appliedOffset(topic: string, partition: number): Promise<number> {
    return (await this.readOffset(partition, topic, partition)) ?? 0;
  }

  /**
   * Applies a batch once. Events already seen (a producer retry at another offset) are dropped
   * and the rest re-sent, so each event counts once; a stale batch changes nothing.
   */
  async applyBatch(batch: BatchToApply): Promise<ApplyOutcome> {
    // An increment the script would refuse (or that could not stay exact) is the caller's to
    // dead-letter: refuse the batch before anything reaches Redis.
    batch.effects.forEach((e, i) => {
      const problem = effectProblem(e);
      if (problem !== null) throw new InvalidIncrementError(e.eventId, i, problem);
    });
    // Keep the first of each eventId within the batch; `kept` maps back to the caller's indices.
    const ids = new Set<string>();
    let kept: number[] = [];
    batch.effects.forEach((e, i) => {
      if (!ids.has(e.eventId)) {
        ids.add(e.eventId);
        kept.push(i);
      }
    });
    for (;;) {
      const effects = kept.map((i) => batch.effects[i]!);
      const { args, order, groups: quarantineGroups } = this.batchArgs(batch, effects);
      // One array argument (ioredis flattens it): spreading ~100k arguments overflows the stack.
      const reply = await this.scripts.applyBatch(offsetsKey(this.prefix, batch.shard), args);
      const status = Number(reply[0]);
      if (status === APPLY_CODES.STALE) return { status: 'stale', storedOffset: Number(reply[1]) };
      if (status === APPLY_CODES.APPLIED) {
        const keptSet = new Set(kept);
        const dropped = new Set(batch.effects.map((_, i) => i).filter((i) => !keptSet.has(i)));
        return { status: 'applied', counted: kept.length, duplicates: dropped.size, dropped, unknownAdmitted: Number(reply[1] ?? 0) };
      }
      if (status === APPLY_CODES.GUARDED) {
        return { status: 'guarded', refused: new Set(reply.slice(1).map((n) => kept[order[Number(n) - 1]!]!)) };
      }
      if (status === APPLY_CODES.OVER_CAP) {
        const groups = new Set(reply.slice(1).map(Number));
        const refused = new Set<number>();
        quarantineGroups.forEach((g, j) => g !== 0 && groups.has(g) && refused.add(kept[j]!));
        return { status: 'overCap', refused };
      }
      if (status !== APPLY_CODES.DUPLICATES) throw new Error(`applyBatch-1.lua: unexpected reply ${JSON.stringify(reply)}`);
      const dup = new Set(reply.slice(1).map((n) => order[Number(n) - 1]!));
      kept = kept.filter((_, j) => !dup.has(j));
    }
  }

  private batchArgs(batch: BatchToApply, effects: EventEffect[]): { args: (string | number)[]; order: number[]; groups: number[] } {
    const horizon = this.opts.dedupeHorizonMs;
    // Event ids grouped by seen-set generation (one SMISMEMBER each); `order` maps the script's
    // event numbers (1-based, in group order) back to positions in `effects`.
    const groups = new Map<number, number[]>();
    for (let i = 0; i < effects.length; i++) {
      const g = Math.floor(effects[i]!.occurredAt / horizon);
      let idx = groups.get(g);
      if (!idx) groups.set(g, (idx = []));
      idx.push(i);
    }
    const order: number[] = [];
    const args: (string | number)[] = [shardPrefix(this.prefix, batch.shard), offsetField(batch.topic, batch.partition), batch.firstOffset, batch.nextOffset, horizon, groups.size];
    for (const [generation, idx] of groups) {
      args.push(seenSuffix(generation), idx.length);
      for (const i of idx) {
        args.push(effects[i]!.eventId);
        order.push(i);
      }
    }
    const { staff, sla, queueStaff } = coalesce(effects);
    let changedCount = 0; // staff-period pairs, one counter hash each
    for (const byStaff of staff.values()) changedCount += byStaff.size;
    // Pairs re-scored for a note alone (corrections), beyond those whose counters changed.
    let touched: Set<string> | undefined;
    for (const e of effects) {
      if (!e.touched) continue;
      for (const pair of e.touched) {
        const bar = pair.indexOf('|');
        if (!staff.get(pair.slice(0, bar))?.has(pair.slice(bar + 1))) (touched ??= new Set()).add(pair);
      }
    }
    args.push(changedCount + sla.size + queueStaff.size);
    for (const [p, byStaff] of staff) {
      const ttl = bucketTtlSeconds(p, this.opts.maxLatenessDays);
      for (const [staffId, fields] of byStaff) {
        args.push(counterSuffix(p, staffId), ttl, fields.size);
        for (const [f, by] of fields) args.push(f, by);
      }
    }
    for (const [p, fields] of sla) {
      args.push(slaSuffix(p), bucketTtlSeconds(p, this.opts.maxLatenessDays), fields.size);
      for (const [f, by] of fields) args.push(f, by);
    }
    for (const [month, fields] of queueStaff) {
      args.push(queueStaffSuffix(month), bucketTtlSeconds(month, this.opts.maxLatenessDays), fields.size);
      for (const [f, by] of fields) args.push(f, by);
    }
    // Sets: the staff index of each period, the changed pairs for the scorer, the sets kept with no TTL.
    const nChanged = changedCount + (touched?.size ?? 0);
    const indexed = new Map<string, Set<string>>();
    for (const e of effects) if (e.indexed) for (const x of e.indexed) (indexed.get(x.set) ?? indexed.set(x.set, new Set()).get(x.set)!).add(x.member);
    args.push(staff.size + (nChanged > 0 ? 1 : 0) + indexed.size);
    for (const [p, byStaff] of staff) {
      args.push(staffIndexSuffix(p), bucketTtlSeconds(p, this.opts.maxLatenessDays), byStaff.size);
      for (const staffId of byStaff.keys()) args.push(staffId);
    }
    if (nChanged > 0) {
      args.push('changed', 0, nChanged);
      for (const [p, byStaff] of staff) for (const staffId of byStaff.keys()) args.push(`${p}|${staffId}`);
      if (touched) for (const pair of touched) args.push(pair);
    }
    for (const [set, members] of indexed) args.push(set, 0, members.size, ...members);
    this.recordArgs(effects, args);
    this.guardArgs(effects, order, args);
    return { args, order, groups: this.quarantineArgs(batch, effects, order, args) };
  }

  /** The script's record section: HSETs per hash (recorded effects by month, correction notes, markers). */
  private recordArgs(effects: EventEffect[], args: (string | number)[]): void {
    const hashes = new Map<string, { ttl: number; pairs: string[] }>();
    const target = (hash: string, period: string, persistent?: true) => {
      let h = hashes.get(hash);
      if (!h) hashes.set(hash, (h = { ttl: persistent ? 0 : bucketTtlSeconds(period, this.opts.maxLatenessDays), pairs: [] }));
      return h.pairs;
    };
    let lastMonth = '';
    let fx: string[] = [];
    for (const e of effects) {
      if (e.fx) {
        if (e.fx.month !== lastMonth) fx = target(effectSuffix((lastMonth = e.fx.month)), lastMonth);
        fx.push(e.eventId, e.fx.value);
      }
      if (e.records) for (const r of e.records) target(r.hash, r.period, r.persistent).push(r.field, r.value);
    }
    args.push(hashes.size);
    for (const [hash, h] of hashes) {
      args.push(hash, h.ttl, h.pairs.length / 2);
      for (const x of h.pairs) args.push(x);
    }
  }

  /** The script's guard section: (event number, hash, field) of each once-only event. */
  private guardArgs(effects: EventEffect[], order: number[], args: (string | number)[]): void {
    const at = args.length;
    let n = 0;
    args.push(0);
    order.forEach((i, k) => {
      const g = effects[i]!.guard;
      if (!g) return;
      args.push(k + 1, g.hash, g.field);
      n++;
    });
    args[at] = n;
  }

  /** Where a counted event's recorded effect is: the shard and its text (fx:<month>), or null. */
  async findEffect(month: string, eventId: string): Promise<{ shard: number; value: string } | null> {
    const shards = await this.shards();
    const found = await Promise.all(shards.map((s) => this.redis.hget(shardPrefix(this.prefix, s) + effectSuffix(month), eventId)));
    const k = found.findIndex((v) => v !== null);
    return k < 0 ? null : { shard: shards[k]!, value: found[k]! };
  }

  /**
   * The script's quarantine section: the (period, unknown staff id) pairs of the events, as
   * groups (events with the same pairs share one) in the order of their first event in the
   * script's numbering. Returns each effect's group number (0: no unknown staff).
   */
  private quarantineArgs(batch: BatchToApply, effects: EventEffect[], order: number[], args: (string | number)[]): number[] {
    const groupOf: number[] = new Array<number>(effects.length).fill(0);
    const q = batch.unknownStaff;
    if (!q) {
      args.push(0, 0);
      return groupOf;
    }
    const sets = new Map<string, number>(); // period -> set number (1..)
    const groups = new Map<string, number>(); // pairs, joined -> group number (1..)
    const flat: (string | number)[] = [];
    for (const i of order) {
      const e = effects[i]!;
      let pairs: string[] | undefined;
      for (const c of e.counters) {
        if (q.named(c.staffId)) continue;
        for (const p of c.periods) {
          const pair = `${p}|${c.staffId}`;
          if (!(pairs ??= []).includes(pair)) pairs.push(pair);
        }
      }
      if (!pairs) continue;
      const key = pairs.sort().join('\n');
      let g = groups.get(key);
      if (g === undefined) {
        groups.set(key, (g = groups.size + 1));
        flat.push(pairs.length);
        for (const pair of pairs) {
          const at = pair.indexOf('|');
          const p = pair.slice(0, at);
          let k = sets.get(p);
          if (k === undefined) sets.set(p, (k = sets.size + 1));
          flat.push(k, pair.slice(at + 1));
        }
      }
      groupOf[i] = g;
    }
    args.push(q.cap, sets.size);
    for (const p of sets.keys()) args.push(unknownStaffSuffix(p), bucketTtlSeconds(p, this.opts.maxLatenessDays));
    args.push(groups.size);
    for (const x of flat) args.push(x);
    return groupOf;
  }

  /** Which of these staff ids the roster names (HMGET of the roster hash, in chunks). */
  async namedStaff(staffIds: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < staffIds.length; i += 5000) {
      const chunk = staffIds.slice(i, i + 5000);
      const values = await this.redis.hmget(rosterKey(this.prefix), ...chunk);
      values.forEach((v, j) => v !== null && out.add(chunk[j]!));
    }
    return out;
  }

  /**
   * Moves the stored offset of a topic-partition past a range of records that count nothing —
   * transaction markers and aborted records, which a read_committed consumer never gets as
   * messages — when the stored offset lies inside [firstOffset, nextOffset) (advanceOffset-1.lua).
   */
  async advanceOffset(shard: number, topic: string, partition: number, firstOffset: number, nextOffset: number): Promise<{ status: 'advanced' } | { status: 'left'; storedOffset: number }> {
    const reply = await this.scripts.advanceOffset(offsetsKey(this.prefix, shard), offsetField(topic, partition), firstOffset, nextOffset);
    return Number(reply[0]) === APPLY_CODES.APPLIED ? { status: 'advanced' } : { status: 'left', storedOffset: Number(reply[1]) };
  }

  async applyRoster(partition: number, firstOffset: number, nextOffset: number, changes: readonly RosterChange[]): Promise<ApplyOutcome> {
    const args: (string | number)[] = [String(partition), firstOffset, nextOffset];
    for (const c of changes) {
      const from = c.effectiveFrom !== undefined ? c.effectiveFrom : (c.profile?.effectiveFrom ?? null);
      args.push(c.staffId, from ?? '', c.profile ? JSON.stringify({ ...c.profile, effectiveFrom: c.profile.effectiveFrom ?? null }) : '');
    }
    const reply = await this.scripts.applyRoster(rosterKey(this.prefix), rosterOffsetsKey(this.prefix), args);
    const code = Number(reply[0]);
    if (code === APPLY_CODES.INVALID) throw new InvalidRosterChangeError(changes[Number(reply[1]) - 1]!);
    return code === APPLY_CODES.APPLIED ? { status: 'applied', counted: changes.length, duplicates: 0, dropped: new Set(), unknownAdmitted: 0 } : { status: 'stale', storedOffset: Number(reply[1]) };
  }

  async readRosterOffset(partition: number): Promise<number | null> {
    const v = await this.redis.hget(rosterOffsetsKey(this.prefix), String(partition));
    return v === null ? null : Number(v);
  }

  // ---- reads (scorer, tests, CLI) ----

  async shards(): Promise<number[]> {
    return (await this.redis.smembers(shardsKey(this.prefix))).map(Number).sort((a, b) => a - b);
  }

  /** Every staff member's timeline (applyRoster-2.lua), entries ordered by effectiveFrom, the base entry first. */
  async rosterTimelines(): Promise<Map<string, StoredTimeline>> {
    // The values alone (each field is its timeline's staffId), parsed as one JSON array:
    // HGETALL's reply made into an object of 100k keys, then a JSON.parse per value, took 2-3x
    // longer for the scorer's roster.
    const json = await this.redis.hvals(rosterKey(this.prefix));
    let stored: Record<string, Profile>[];
    try {
      stored = JSON.parse(`[${json.join(',')}]`) as Record<string, Profile>[];
      if (stored.length !== json.length) throw new SyntaxError('a timeline is not one JSON value');
    } catch {
      stored = json.map((j) => JSON.parse(j) as Record<string, Profile>); // throws at the bad one
    }
    const out = new Map<string, StoredTimeline>();
    for (let t of stored) {
      // A bare profile, stored before effective dates: its base entry.
      if (typeof t.staffId === 'string') t = { '': t as unknown as Profile };
      // Keys are '' (base) and YYYY-MM-DD dates: string order is time order.
      const keys = Object.keys(t);
      if (keys.length > 1) keys.sort();
      const entries = keys.map((k) => t[k]!);
      out.set(entries[0]!.staffId, { staffId: entries[0]!.staffId, entries });
    }
    return out;
  }

  /**
   * Staff member -> their latest profile (the entry with the latest effectiveFrom). An id is on
   * the roster while it has any entry; for who was where in a period, use rosterTimelines.
   */
  async roster(): Promise<Map<string, Profile>> {
    const out = new Map<string, Profile>();
    for (const [id, t] of await this.rosterTimelines()) out.set(id, t.entries[t.entries.length - 1]!);
    return out;
  }

  /**
   * Every staff member's counters for one period, summed over the shards that hold them. The
   * shards are read concurrently, each in chunks of one script call (readHashes-1.lua, "object") that
   * returns one JSON object text per staff member; a staff member found in one shard only (the usual
   * case) keeps that shard's record as is.
   */
  async periodCounters(period: string, onlyStaff?: ReadonlySet<string>): Promise<Map<string, Record<string, number>>> {
    const shards = await this.shards();
    const perShard = await Promise.all(shards.map((shard) => this.shardCounters(shard, period, onlyStaff)));
    if (perShard.length === 1) return perShard[0]!;
    const out = new Map<string, Record<string, number>>();
    for (const m of perShard) {
      for (const [s, rec] of m) {
        const acc = out.get(s);
        if (!acc) {
          out.set(s, rec);
          continue;
        }
        for (const k in rec) acc[k] = (acc[k] ?? 0) + rec[k]!;
      }
    }
    return out;
  }

  private async shardCounters(shard: number, period: string, onlyStaff?: ReadonlySet<string>): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>();
    const prefix = shardPrefix(this.prefix, shard);
    const indexKey = prefix + staffIndexSuffix(period);
    let staff = await this.redis.smembers(indexKey);
    if (onlyStaff) staff = staff.filter((s) => onlyStaff.has(s));
    // Chunks keep each script call short (~2000 hashes), so Redis stays responsive to the aggregator.
    const CHUNK = 2000;
    const hashPrefix = prefix + counterSuffix(period, '');
    const chunks: Promise<void>[] = [];
    for (let i = 0; i < staff.length; i += CHUNK) {
      const chunk = staff.slice(i, i + CHUNK);
      chunks.push(
        this.scripts.readHashes(indexKey, ['object', hashPrefix, ...chunk]).then(async (texts) => {
          // one text per staff id, in order (readHashes-1.lua); "pairs" only when a hand-written value spoils the JSON
          const recs = parseCounterObjects(texts) ?? parseFlatHashes(await this.scripts.readHashes(indexKey, ['pairs', hashPrefix, ...chunk]));
          for (let j = 0; j < chunk.length; j++) out.set(chunk[j]!, recs[j]!);
        }),
      );
    }
    await Promise.all(chunks);
    return out;
  }

  /**
   * Every member's static records (docs/static-appraisal.md), over all shards: each shard's index
   * of members with records, then their hashes in chunks of one script call (readHashes-1.lua, "values").
   * A value that is not a record is left out (static-record.ts).
   */
  async staticState(): Promise<Map<string, StaticRecord[]>> {
    const out = new Map<string, StaticRecord[]>();
    const CHUNK = 2000;
    const reads: Promise<void>[] = [];
    for (const shard of await this.shards()) {
      const prefix = shardPrefix(this.prefix, shard);
      const indexKey = prefix + STATIC_INDEX_SUFFIX;
      const staff = await this.redis.smembers(indexKey);
      for (let i = 0; i < staff.length; i += CHUNK) {
        const chunk = staff.slice(i, i + CHUNK);
        reads.push(
          this.scripts.readHashes(indexKey, ['values', prefix + staticSuffix(''), ...chunk]).then((texts) => {
            for (let j = 0; j < chunk.length; j++) {
              const records = staticRecordsOfText(texts[j]!);
              if (records.length === 0) continue;
              const had = out.get(chunk[j]!);
              out.set(chunk[j]!, had ? [...had, ...records] : records);
            }
          }),
        );
      }
    }
    await Promise.all(reads);
    return out;
  }

  /**
   * Drops, for each member of the shard keeping more than `cap` static records, the records
   * `choose` names (the domain's rule: @cs/appraisal recordsToPrune). Not atomic with the apply and
   * need not be: only superseded records are named, and a later write only adds newer ones.
   * Returns how many records were dropped.
   */
  async pruneStatic(shard: number, staffIds: Iterable<string>, cap: number, choose: (records: StaticRecord[], cap: number) => StaticRecord[]): Promise<number> {
    const prefix = shardPrefix(this.prefix, shard);
    let dropped = 0;
    for (const staffId of staffIds) {
      const key = prefix + staticSuffix(staffId);
      if ((await this.redis.hlen(key)) <= cap) continue;
      const byRecord = new Map<StaticRecord, string>();
      for (const [field, value] of Object.entries(await this.redis.hgetall(key))) {
        const r = decodeStaticRecord(value);
        if (r !== null) byRecord.set(r, field);
      }
      const fields = choose([...byRecord.keys()], cap).map((r) => byRecord.get(r)!);
      if (fields.length > 0) dropped += await this.redis.hdel(key, ...fields);
    }
    return dropped;
  }

  /** Staff ids with counters in a period, over all shards (the staff index sets). */
  async periodStaff(period: string): Promise<Set<string>> {
    return this.unionOverShards((prefix) => this.redis.smembers(prefix + staffIndexSuffix(period)));
  }

  /** The union of what `read` gives for each shard (by its key prefix), read concurrently. */
  private async unionOverShards(read: (shardPrefix: string) => Promise<string[]>): Promise<Set<string>> {
    const out = new Set<string>();
    const lists = await Promise.all((await this.shards()).map((s) => read(shardPrefix(this.prefix, s))));
    for (const list of lists) for (const x of list) out.add(x);
    return out;
  }

  /**
   * The correction notes of one period (every shard), per staff member, in the order they apply
   * (orderNotes). A correction's note is written in the same script as its counter effect.
   */
  async periodCorrections(period: string): Promise<Map<string, CorrectionNote[]>> {
    const out = new Map<string, CorrectionNote[]>();
    for (const shard of await this.shards()) {
      for (const json of await this.redis.hvals(shardPrefix(this.prefix, shard) + correctionsSuffix(period))) {
        const note = JSON.parse(json) as CorrectionNote;
        let list = out.get(note.staffId);
        if (!list) out.set(note.staffId, (list = []));
        list.push(note);
      }
    }
    for (const list of out.values()) orderNotes(list);
    return out;
  }

  /**
   * Notes that a shard's DAY/MONTH buckets hold counters attributed under these rules versions.
   * Written before the counters (a crash in between over-records, which only makes the scorer
   * refuse where it must look); kept a day longer than the bucket, which the writer renews.
   */
  async recordRulesVersions(shard: number, byPeriod: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
    if (byPeriod.size === 0) return;
    const prefix = shardPrefix(this.prefix, shard);
    const pipe = this.redis.pipeline();
    for (const [period, versions] of byPeriod) {
      const key = prefix + rulesVersionsSuffix(period);
      pipe.hset(key, Object.fromEntries([...versions].map((v) => [v, '1'])));
      pipe.expire(key, bucketTtlSeconds(period, this.opts.maxLatenessDays) + 86_400);
    }
    for (const [err] of (await pipe.exec()) ?? []) if (err) throw err;
  }

  /** The rules versions a period's counters were attributed with, over all shards. */
  async periodRulesVersions(period: string): Promise<Set<string>> {
    return this.unionOverShards((prefix) => this.redis.hkeys(prefix + rulesVersionsSuffix(period)));
  }

  /** Calls answered per queue and staff member in a MONTH (`qs:<MONTH>`), summed over shards: "<queue>|<staffId>" -> calls. */
  async monthQueueStaff(month: string): Promise<Record<string, number>> {
    return this.sumOverShards(queueStaffSuffix(month));
  }

  /** Queue- and area-level SLA counters of one period, summed over shards. */
  async periodSla(period: string): Promise<Record<string, number>> {
    return this.sumOverShards(slaSuffix(period));
  }

  /** A counter hash of every shard (its suffix), summed field by field. */
  private async sumOverShards(suffix: string): Promise<Record<string, number>> {
    const acc: Record<string, number> = {};
    for (const shard of await this.shards()) {
      const h = await this.redis.hgetall(shardPrefix(this.prefix, shard) + suffix);
      for (const [k, v] of Object.entries(h)) acc[k] = (acc[k] ?? 0) + Number(v);
    }
    return acc;
  }

  /**
   * Takes the "period|staff" pairs touched since the last call, for all shards. RENAME makes the
   * hand-over atomic; the caller acknowledges with `ackChanged` once scored, so a crash re-scores.
   */
  async takeChanged(): Promise<{ pairs: Set<string>; ack: () => Promise<void> }> {
    const pairs = new Set<string>();
    const taken: string[] = [];
    for (const shard of await this.shards()) {
      const key = changedKey(this.prefix, shard);
      const inFlight = `${key}:taking`;
      // A previous taker that crashed left :taking behind: score those too.
      if ((await this.redis.exists(key)) === 1) {
        const members = await this.redis.smembers(inFlight);
        if (members.length) await this.redis.sadd(key, ...members);
        await this.redis.rename(key, inFlight);
      }
      for (const m of await this.redis.smembers(inFlight)) pairs.add(m);
      taken.push(inFlight);
    }
    return { pairs, ack: async () => void (taken.length && (await Promise.all(taken.map((k) => this.redis.del(k))))) };
  }
}
