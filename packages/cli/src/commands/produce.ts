import { readFile } from 'node:fs/promises';
import { messageKey, parseNdjson, type SourceEvent, type StaffProfile, type TopicKey } from '@cs/contracts';
import type { Message } from 'kafkajs';
import { parseCommandArgs } from '../args.ts';
import { RuntimeFailure, UsageError } from '../cli-errors.ts';
import { cliKafka, connectAdmin, errorText, requireTopics } from '../kafka-client.ts';
import { cliCodecs } from '../cli-codecs.ts';

export const produceHelp = `Usage: cs-appraisal produce [--file F]

Publishes NDJSON events (one per line) Avro-encoded to their topics. Reads standard input unless
--file is given. Each line is an object with "kind" and the fields of events.md, e.g.
  {"kind":"CallAnswered","eventId":"…","occurredAt":"2026-10-05T09:00:00Z","callId":"C1","staffId":"S001","queue":"95598","waitSeconds":12}
  {"kind":"StaffProfile","staffId":"S001","teamId":"T01","role":"HOTLINE_AGENT","active":true,"updatedAt":1791162000000}
"topic" may be omitted (the kind decides it); times are ISO-8601 strings or epoch milliseconds.
StaffProfile lines go to the roster topic; "effectiveFrom" (a local date YYYY-MM-DD, optional) dates
a profile, e.g. a transfer: ...,"teamId":"T02","effectiveFrom":"2026-11-16"}. The message key is the
staffId, <staffId>|<effectiveFrom> for a dated profile (or the ticket / call id).

Every line is checked first: if any line is bad, each bad line is listed on stderr with its line
number, nothing is published, and the exit status is 2 (fix the input and run again).
On success it prints "published N events to K topics (topic: count, …)".

Options:
  -f, --file F   read NDJSON from file F instead of standard input
  -h, --help     this text

Environment: KAFKA_BROKERS (default 127.0.0.1:19092, the local stack), Kafka SASL/TLS settings,
CS_TOPIC_CALLCENTER, CS_TOPIC_BILLING, CS_TOPIC_OUTAGE_REPAIR, CS_TOPIC_WORKFORCE, CS_TOPIC_ROSTER.

Exit status: 0 published, 1 Kafka failure (unreachable broker, missing topic, send failed),
2 bad arguments, bad environment variable or bad input line (nothing published).`;

/** At most this many bad lines are listed; the rest are counted. */
const MAX_LISTED = 20;
const CHUNK = 2_000;

export async function produceCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('produce', produceHelp, argv, { file: { type: 'string', short: 'f' } });
  if (!values) return 0; // --help
  const c = cliKafka();
  const source = values.file === undefined ? 'standard input' : values.file;
  const text = values.file === undefined ? await readStdin() : await readInputFile(values.file);

  const parsed = parseNdjson(text, { now: c.clock.now(), topicNames: c.topics });
  if (!parsed.ok) {
    for (const e of parsed.errors.slice(0, MAX_LISTED)) console.error(`cs-appraisal: ${source} line ${e.line}: ${e.message}`);
    if (parsed.errors.length > MAX_LISTED) console.error(`cs-appraisal: … and ${parsed.errors.length - MAX_LISTED} more bad lines`);
    const n = parsed.errors.length;
    throw new UsageError(`${n} bad line${n === 1 ? '' : 's'} in ${source}; nothing was published: fix ${n === 1 ? 'it' : 'them'} and run again`);
  }
  if (parsed.records.length === 0) {
    console.error(`cs-appraisal: no events in ${source}`);
    console.log('published 0 events to 0 topics');
    return 0;
  }

  const codecs = await cliCodecs(c, [...new Set(parsed.records.map((r) => r.topic))]);
  const byTopic = new Map<TopicKey, Message[]>();
  for (const r of parsed.records) {
    let value: Buffer;
    try {
      value = codecs.encode(r.topic, r.value);
    } catch (err) {
      throw new RuntimeFailure(`${source} line ${r.line}: cannot encode: ${errorText(err)}; nothing was published`);
    }
    const messages = byTopic.get(r.topic) ?? [];
    messages.push({ key: messageKey(r.value as SourceEvent | StaffProfile), value });
    byTopic.set(r.topic, messages);
  }

  const admin = await connectAdmin(c);
  try {
    await requireTopics(c, admin, [...byTopic.keys()]);
  } finally {
    await admin.disconnect();
  }

  const producer = c.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  const total = parsed.records.length;
  let sent = 0;
  try {
    await producer.connect();
    for (const [key, messages] of byTopic) {
      for (let i = 0; i < messages.length; i += CHUNK) {
        const chunk = messages.slice(i, i + CHUNK);
        await producer.send({ topic: c.topics[key], messages: chunk, acks: -1 });
        sent += chunk.length;
      }
    }
  } catch (err) {
    const already = sent ? `${sent} of ${total} events were published before it (publishing them again is safe: consumers count each eventId once); ` : 'nothing was published; ';
    throw new RuntimeFailure(`publishing to Kafka at ${c.brokers} failed: ${errorText(err)}; ${already}check the broker (npx cs-appraisal stack status) and retry`);
  } finally {
    await producer.disconnect().catch(() => {});
  }
  const detail = [...byTopic].map(([k, m]) => `${c.topics[k]}: ${m.length}`).join(', ');
  console.log(`published ${total} event${total === 1 ? '' : 's'} to ${byTopic.size} topic${byTopic.size === 1 ? '' : 's'} (${detail})`);
  return 0;
}

async function readInputFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : errorText(err);
    throw new UsageError(`cannot read --file ${file}: ${why}; give the path of an NDJSON file`);
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) console.error('cs-appraisal: reading NDJSON events from standard input (end with Ctrl-D; or use --file F)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
