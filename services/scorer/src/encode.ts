// Fast Avro framing for the scorer's output records: the same bytes as Codecs.encode (Confluent
// header + avsc body), written through one reusable scratch buffer. avsc's toBuffer encodes into a
// shared 1 KiB buffer and, for anything larger (a scorecard is ~1.7 KiB), encodes a second time;
// this encodes once. Invalid values fall back to Codecs.encode, which throws the contract error.
import type { Codecs } from '@cs/contracts';

export type OutputTopic = 'appraisal' | 'eligibility';

export function outputEncoder(codecs: Codecs, topic: OutputTopic): (value: object) => Buffer {
  const type = codecs.type(topic);
  if (codecs.kinds(topic).length > 0) return (value) => codecs.encode(topic, value);
  let scratch = Buffer.allocUnsafe(64 * 1024);
  scratch[0] = 0; // magic byte
  scratch.writeUInt32BE(codecs.schemaId(topic), 1);
  return (value) => {
    let end: number;
    try {
      end = type.encode(value, scratch, 5);
      if (end < 0) {
        const bigger = Buffer.allocUnsafe(2 * (scratch.length - end));
        scratch.copy(bigger, 0, 0, 5);
        scratch = bigger;
        end = type.encode(value, scratch, 5);
      }
    } catch {
      return codecs.encode(topic, value);
    }
    if (end < 0) return codecs.encode(topic, value);
    const out = Buffer.allocUnsafe(end);
    scratch.copy(out, 0, 0, end);
    return out;
  };
}
