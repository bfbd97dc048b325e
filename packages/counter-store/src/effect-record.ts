// The recorded effect of a counted event (issue #16 item 3): what it added, so that a correction
// can reverse it later. Written by applyBatch into `fx:<MONTH>` (field eventId) with the counters,
// one per counted event: it is on the aggregator's hot path and in Redis memory for the month's
// retention, so the text is short (~30 bytes for a typical event):
//   <kind code>;<staffId>@<YYYYMMDD>,<counter code>[=<by>],…;<staffId>@<YYYYMMDD>,…
// one group per (staff member, DAY bucket) run, `=<by>` left out when it is 1; the MONTH bucket
// follows from the DAY. Codes are positions (base 36) in EVENT_KINDS and COUNTER_NAMES: those
// lists may only grow at their end while records written under them live (a test pins them).
import { COUNTER_NAMES, type RecordedEffect, type RecordedIncrement } from '@cs/appraisal';
import { EVENT_KINDS } from '@cs/contracts';

const code = (i: number) => i.toString(36);
const KIND_CODE = new Map<string, string>(EVENT_KINDS.map((k, i) => [k, code(i)]));
const COUNTER_CODE = new Map<string, string>(COUNTER_NAMES.map((c, i) => [c, code(i)]));

/** Increments as the aggregator places them: periods[0] is the DAY bucket ('DAY:YYYY-MM-DD'). */
export function encodeEffectRecord(eventKind: string, counters: readonly { staffId: string; periods: readonly string[]; counter: string; by: number }[]): string {
  let out = KIND_CODE.get(eventKind);
  if (out === undefined) throw new Error(`effect record: unknown event kind ${eventKind}`);
  let staff = '';
  let day = '';
  for (const c of counters) {
    const d = c.periods[0]!;
    if (c.staffId !== staff || d !== day) {
      staff = c.staffId;
      day = d;
      out += `;${staff}@${d.slice(4, 8)}${d.slice(9, 11)}${d.slice(12, 14)}`;
    }
    const k = COUNTER_CODE.get(c.counter);
    if (k === undefined) throw new Error(`effect record: unknown counter ${c.counter}`);
    out += c.by === 1 ? `,${k}` : `,${k}=${c.by}`;
  }
  return out;
}

/** The inverse of encodeEffectRecord; throws on text it did not write. */
export function decodeEffectRecord(text: string): RecordedEffect {
  const groups = text.split(';');
  const eventKind = EVENT_KINDS[parseInt(groups[0]!, 36)];
  if (eventKind === undefined || !/^[0-9a-z]+$/.test(groups[0]!)) throw new Error(`effect record: bad kind ${JSON.stringify(groups[0])}`);
  const increments: RecordedIncrement[] = [];
  for (let g = 1; g < groups.length; g++) {
    const parts = groups[g]!.split(',');
    const at = parts[0]!.lastIndexOf('@');
    const ymd = parts[0]!.slice(at + 1);
    if (at < 1 || !/^\d{8}$/.test(ymd)) throw new Error(`effect record: bad group ${JSON.stringify(groups[g])}`);
    const staffId = parts[0]!.slice(0, at);
    const day = `DAY:${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6)}`;
    for (let k = 1; k < parts.length; k++) {
      const eq = parts[k]!.indexOf('=');
      const by = eq < 0 ? 1 : Number(parts[k]!.slice(eq + 1));
      const counter = COUNTER_NAMES[parseInt(eq < 0 ? parts[k]! : parts[k]!.slice(0, eq), 36)];
      if (counter === undefined || !Number.isFinite(by)) throw new Error(`effect record: bad increment ${JSON.stringify(parts[k])}`);
      increments.push({ staffId, day, counter, by });
    }
  }
  return { eventKind, increments };
}
