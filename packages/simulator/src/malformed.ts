// Bad input as upstream systems really send it: garbage bytes, cut-off frames, frames of a schema
// nobody registered, kinds this reader does not know, and well-formed Avro that breaks the rules of
// events.md. Each carries the error class the consumer must dead-letter it with.

import { HEADER_BYTES, MAGIC_BYTE, SOURCE_TOPIC_KEYS, frameHeader, varintBytes, type Codecs, type SourceEvent, type SourceTopicKey } from '@cs/contracts';
import type { Rng } from './prng.ts';

export type ExpectedErrorClass = 'DECODE' | 'VALIDATION' | 'UNKNOWN_KIND';

export const MALFORMED_SORTS = {
  /** Random bytes (bad magic byte or shorter than the header). */
  RANDOM_BYTES: 'DECODE',
  /** A valid frame cut short. */
  TRUNCATED: 'DECODE',
  /** A well-formed frame whose schema id is in no catalogue. */
  UNKNOWN_SCHEMA_ID: 'DECODE',
  /** A union branch index past the kinds the topic carries. */
  UNKNOWN_BRANCH: 'UNKNOWN_KIND',
  /** A valid frame of another topic's schema (producer wrote to the wrong topic). */
  WRONG_TOPIC: 'UNKNOWN_KIND',
  /** A valid event whose staff id breaks ^[A-Za-z0-9_-]{1,64}$. */
  BAD_STAFF_ID: 'VALIDATION',
  /** Negative wait / talk seconds. */
  NEGATIVE_DURATION: 'VALIDATION',
  /** Survey score outside 1..5 or quality score outside 0..100. */
  SCORE_OUT_OF_RANGE: 'VALIDATION',
} as const satisfies Record<string, ExpectedErrorClass>;

export type MalformedSort = keyof typeof MALFORMED_SORTS;
const SORTS = Object.keys(MALFORMED_SORTS) as MalformedSort[];

export interface MalformedPayload {
  topic: SourceTopicKey;
  bytes: Buffer;
  sort: MalformedSort;
  expectedClass: ExpectedErrorClass;
}

/** Schema id that no catalogue will ever hold (ids are small integers). */
export const UNKNOWN_SCHEMA_ID = 0x7ffffff0;

/**
 * One malformed payload modelled on `source` (a valid event of `topic`). `newEventId` supplies
 * fresh event ids so a rule-breaking copy never shares its id with the valid original.
 */
export function buildMalformed(
  codecs: Codecs,
  rng: Rng,
  topic: SourceTopicKey,
  source: SourceEvent,
  newEventId: () => string,
  sort: MalformedSort = rng.pick(SORTS),
): MalformedPayload {
  const expectedClass = MALFORMED_SORTS[sort];
  const done = (t: SourceTopicKey, bytes: Buffer): MalformedPayload => ({ topic: t, bytes, sort, expectedClass });
  switch (sort) {
    case 'RANDOM_BYTES': {
      const n = rng.intIn(1, 48);
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = rng.int(256);
      if (b[0] === MAGIC_BYTE) b[0] = 1 + rng.int(255); // keep it undecodable: never a plausible frame
      return done(topic, b);
    }
    case 'TRUNCATED': {
      const full = codecs.encode(topic, source);
      // Keep the header and branch index; cut anywhere inside the body (a strict prefix of an
      // Avro record never decodes as a whole record).
      const cut = rng.intIn(HEADER_BYTES + 1, full.length - 1);
      return done(topic, Buffer.from(full.subarray(0, cut)));
    }
    case 'UNKNOWN_SCHEMA_ID': {
      const full = codecs.encode(topic, source);
      return done(topic, Buffer.concat([frameHeader(UNKNOWN_SCHEMA_ID), full.subarray(HEADER_BYTES)]));
    }
    case 'UNKNOWN_BRANCH': {
      const full = codecs.encode(topic, source);
      const branch = codecs.kinds(topic).length + rng.int(8);
      // header | branch varint (1 byte for the small indexes used today) | body
      const body = full.subarray(HEADER_BYTES + 1);
      return done(topic, Buffer.concat([frameHeader(codecs.schemaId(topic)), varintBytes(branch), body]));
    }
    case 'WRONG_TOPIC': {
      const others = SOURCE_TOPIC_KEYS.filter((t) => t !== topic);
      return done(rng.pick(others), codecs.encode(topic, source));
    }
    case 'BAD_STAFF_ID': {
      const e = { ...source, eventId: newEventId() } as Record<string, unknown>;
      const bad = (id: string): string => `${id}${rng.pick([':', '{', ' ', '}', '/', '*'])}${rng.pick(['x', '1', '{}', 'ad'])}`;
      if (typeof e.staffId === 'string') e.staffId = bad(e.staffId);
      else if (Array.isArray(e.crewStaffIds)) e.crewStaffIds = [bad(String(e.crewStaffIds[0])), ...e.crewStaffIds.slice(1)];
      else return buildMalformed(codecs, rng, topic, source, newEventId, 'NEGATIVE_DURATION'); // CallAbandoned: no staff
      return done(topic, codecs.encode(topic, e));
    }
    case 'NEGATIVE_DURATION': {
      const t = source.occurredAt;
      const staffId = 'staffId' in source ? source.staffId : 'S00001';
      const callId = `BAD-${newEventId().slice(0, 8)}`;
      const ev: SourceEvent = rng.chance(0.5)
        ? { kind: 'CallAnswered', eventId: newEventId(), occurredAt: t, callId, staffId, queue: '95598-general', waitSeconds: -rng.range(0.5, 300) }
        : {
            kind: 'ContactCompleted', eventId: newEventId(), occurredAt: t, callId, staffId, channel: 'HOTLINE', category: 'INQUIRY',
            talkSeconds: -rng.range(1, 600), holdSeconds: 0, wrapSeconds: 30, resolution: 'RESOLVED',
          };
      return done('callcenter', codecs.encode('callcenter', ev));
    }
    case 'SCORE_OUT_OF_RANGE': {
      const t = source.occurredAt;
      const staffId = 'staffId' in source ? source.staffId : 'S00001';
      const callId = `BAD-${newEventId().slice(0, 8)}`;
      const ev: SourceEvent = rng.chance(0.5)
        ? { kind: 'SurveyAnswered', eventId: newEventId(), occurredAt: t, callId, staffId, score: rng.pick([0, 6, 7, 10, -1]) }
        : { kind: 'QualityInspected', eventId: newEventId(), occurredAt: t, callId, staffId, score: rng.pick([100.5, 120, 150, -5]), violations: [] };
      return done('callcenter', codecs.encode('callcenter', ev));
    }
  }
}
