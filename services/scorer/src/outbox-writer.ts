// Step 2 of a FINAL/REVISED publication: the outbox, chunk by chunk (encoding chunk k+1 while
// Redis stores chunk k), then sealed (meta + period 'finalizing', atomically, fenced).
import { randomBytes } from 'node:crypto';
import type { Period } from '@cs/appraisal';
import type { OutboxEntry } from './card-selection.ts';
import { outputKey, type Codecs } from '@cs/contracts';
import { OutboxBlockWriter } from './encode.ts';
import { leaseKey, outboxKey, periodsKey } from './keys.ts';
import { LostLease } from './lease.ts';
import type { PeriodState } from './model.ts';
import { blockField, compressBlock, publishedField, type OutboxMeta, type OutMessage } from './outbox-format.ts';
import { SCRIPT_CODES, type ScorerScripts, type ScriptCode } from './scripts.ts';

/** Members per chunk of a FINAL/REVISED publication (encode, outbox write, send). */
export const CHUNK = 5_000;

export interface OutboxContent {
  period: Period;
  status: 'FINAL' | 'REVISED';
  /** the period's state before this publication */
  state: PeriodState;
  /** the rules version the cards were scored with (kept in the period state for later REVISED rounds) */
  rulesVersion: string;
  now: number;
  /** each member's card and/or eligibility, and what to record as published; each slot is cleared once encoded */
  members: (OutboxEntry | undefined)[];
}

export type WrittenOutbox =
  | { sealed: true; meta: OutboxMeta; chunks: OutMessage[][]; publishedChunks: string[][]; cards: number; encodeMs: number; waitMs: number }
  /** Another outbox of the period is sealed already: send that one first. */
  | { sealed: false };

export class OutboxWriter {
  constructor(
    private readonly scripts: ScorerScripts,
    private readonly codecs: Codecs,
    private readonly prefix: string,
    private readonly ownerId: string,
  ) {}

  async write(c: OutboxContent): Promise<WrittenOutbox> {
    const { period } = c;
    const token = randomBytes(8).toString('hex');
    const blocks = new OutboxBlockWriter(this.codecs);
    const chunks: OutMessage[][] = [];
    const publishedChunks: string[][] = [];
    const staffCount = c.members.length;
    let cardCount = 0;
    let fields = 1; // "w"
    let messageCount = 0;
    let encodeMs = 0;
    let waitMs = 0;
    let refused: ScriptCode = SCRIPT_CODES.OK;
    // Chunk writes: compressed on the thread pool, issued strictly in chunk order (the first one
    // starts the outbox), at most two unsettled while the next chunk is encoded.
    const writes: Promise<ScriptCode>[] = [];
    let settled = 0;
    let issued: Promise<unknown> = Promise.resolve();
    const settle = async (keep: number) => {
      const tw = performance.now();
      for (; settled < writes.length - keep; settled++) {
        const r = await writes[settled]!;
        if (r !== SCRIPT_CODES.OK && refused === SCRIPT_CODES.OK) refused = r;
      }
      waitMs += performance.now() - tw;
    };
    for (let base = 0; base < staffCount && refused === SCRIPT_CODES.OK; base += CHUNK) {
      const te = performance.now();
      const end = Math.min(staffCount, base + CHUNK);
      const messages: OutMessage[] = [];
      const pairs: string[] = []; // staffId, Published JSON: what the commit records
      const entries: string[] = [];
      // A member's scorecard, then their eligibility: each produce request carries both topics.
      for (let i = base; i < end; i++) {
        const m = c.members[i]!;
        const staffId = m.staffId;
        const key = outputKey(m.team ? m.team.teamId : staffId, period.id); // per staff- or team-period: the compacted topics keep every period's latest
        if (m.team) messages.push({ t: 't', k: key, v: blocks.add('teamScorecard', key, m.team) });
        if (m.card) {
          messages.push({ t: 'a', k: key, v: blocks.add('appraisal', key, m.card) });
          cardCount++;
        }
        if (m.eligibility) messages.push({ t: 'e', k: key, v: blocks.add('eligibility', key, m.eligibility) });
        const json = JSON.stringify(m.published);
        pairs.push(staffId, json);
        entries.push(`${JSON.stringify(staffId)}:${json}`);
        c.members[i] = undefined;
      }
      messageCount += messages.length;
      const publishedJson = `{${entries.join(',')}}`; // JSON object staffId -> Published (each staffId once)
      // One field for the chunk's records (compressed on the libuv thread pool while this thread
      // goes on encoding: several times fewer bytes for Redis to take in and hold), one for its
      // published records.
      const names = [blockField(chunks.length), publishedField(publishedChunks.length)] as const;
      const compressed = compressBlock(blocks.take());
      compressed.catch(() => {}); // its failure surfaces through the write below
      fields += 2;
      chunks.push(messages);
      publishedChunks.push(pairs);
      encodeMs += performance.now() - te;
      await settle(1); // bounded memory; Redis and the thread pool work while this thread encodes
      if (refused !== SCRIPT_CODES.OK) break;
      const first = base === 0 ? '1' : '0';
      // Issued once this chunk is compressed and the chunk before it issued (reactions to one
      // promise run in the order they were added: the write below before `issued` moves on).
      const ready = issued.then(() => compressed);
      const write = ready.then((block) =>
        this.scripts.scorerOutboxChunk(leaseKey(this.prefix), periodsKey(this.prefix), outboxKey(this.prefix, period.id), this.ownerId, period.id, token, first, [
          names[0],
          block,
          names[1],
          publishedJson,
        ]),
      );
      write.catch(() => {}); // awaited in settle
      issued = ready;
      writes.push(write);
    }
    await settle(0);
    const meta: OutboxMeta = {
      periodId: period.id,
      status: c.status,
      next: { state: 'final', revision: c.status === 'FINAL' ? 0 : c.state.revision + 1, rulesVersion: c.rulesVersion },
      messages: messageCount,
      blocks: chunks.length,
      publishedChunks: publishedChunks.length,
      createdAt: c.now,
    };
    const code = refused !== SCRIPT_CODES.OK ? refused : await this.seal(period.id, c.state, token, staffCount === 0 ? 0 : fields, meta);
    if (code === SCRIPT_CODES.NOT_LEASE_HOLDER) throw new LostLease(`outbox ${period.id}`);
    if (code === SCRIPT_CODES.OUTBOX_SEALED) return { sealed: false };
    if (code !== SCRIPT_CODES.OK) throw new Error(`outbox ${period.id}: another write of the period replaced this one (${code}); retrying next tick`);
    return { sealed: true, meta, chunks, publishedChunks, cards: cardCount, encodeMs, waitMs };
  }

  private seal(periodId: string, state: PeriodState, token: string, fields: number, meta: OutboxMeta): Promise<ScriptCode> {
    return this.scripts.scorerOutboxSeal(
      leaseKey(this.prefix),
      periodsKey(this.prefix),
      outboxKey(this.prefix, periodId),
      this.ownerId,
      periodId,
      JSON.stringify({ ...state, state: 'finalizing' } satisfies PeriodState),
      token,
      fields,
      JSON.stringify(meta),
    );
  }
}
