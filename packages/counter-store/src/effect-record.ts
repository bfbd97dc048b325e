// The recorded effect of a counted event (issue #16 item 3): what it added, so that a correction
// can reverse it later. Written by applyBatch into `fx:<MONTH>` (field eventId) with the counters;
// this is on the aggregator's hot path, so the text is short:
//   <eventKind>;<staffId>@<YYYY-MM-DD>,<counter>[=<by>],…;<staffId>@<YYYY-MM-DD>,…
// one group per (staff member, DAY bucket) run, `=<by>` left out when it is 1. The MONTH bucket
// follows from the DAY. Counter names and staff ids never hold ';', '@', ',' or '=' (identifiers).
import type { RecordedEffect, RecordedIncrement } from '@cs/appraisal';

/** Increments as the aggregator places them: periods[0] is the DAY bucket ('DAY:YYYY-MM-DD'). */
export function encodeEffectRecord(eventKind: string, counters: readonly { staffId: string; periods: readonly string[]; counter: string; by: number }[]): string {
  let out = eventKind;
  let staff = '';
  let day = '';
  for (const c of counters) {
    const d = c.periods[0]!;
    if (c.staffId !== staff || d !== day) {
      staff = c.staffId;
      day = d;
      out += `;${staff}@${d.slice(4)}`;
    }
    out += c.by === 1 ? `,${c.counter}` : `,${c.counter}=${c.by}`;
  }
  return out;
}

/** The inverse of encodeEffectRecord; throws on text it did not write. */
export function decodeEffectRecord(text: string): RecordedEffect {
  const groups = text.split(';');
  const increments: RecordedIncrement[] = [];
  for (let g = 1; g < groups.length; g++) {
    const parts = groups[g]!.split(',');
    const at = parts[0]!.lastIndexOf('@');
    if (at < 1) throw new Error(`effect record: bad group ${JSON.stringify(groups[g])}`);
    const staffId = parts[0]!.slice(0, at);
    const day = `DAY:${parts[0]!.slice(at + 1)}`;
    for (let k = 1; k < parts.length; k++) {
      const eq = parts[k]!.indexOf('=');
      const by = eq < 0 ? 1 : Number(parts[k]!.slice(eq + 1));
      if (!Number.isFinite(by)) throw new Error(`effect record: bad increment ${JSON.stringify(parts[k])}`);
      increments.push({ staffId, day, counter: eq < 0 ? parts[k]! : parts[k]!.slice(0, eq), by });
    }
  }
  return { eventKind: groups[0]!, increments };
}
