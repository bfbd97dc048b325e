// Kafka's partition for a keyed record: murmur2 of the key's UTF-8 bytes, as the Java client's
// DefaultPartitioner and kafkajs's Partitioners.DefaultPartitioner choose it. kafkajs computes it
// with 64-bit Long objects (about 5 µs per key, 200,000 keys per FINAL of 100,000 staff on the
// scorer's thread); the low 32 bits it keeps are those of plain 32-bit arithmetic, done here with
// Math.imul. The unit test checks it against kafkajs's partitioner.
// Loaded by the sending threads too (Node's type stripping): erasable TypeScript only.
import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';
import { Partitioners } from 'kafkajs';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 (Java Utils.murmur2) of bytes[0, length), as a signed 32-bit integer. */
export function murmur2(bytes: Uint8Array, length = bytes.length): number {
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    h = Math.imul(h, M) ^ Math.imul(k, M);
  }
  switch (length & 3) {
    case 3:
      h ^= bytes[whole + 2]! << 16;
    // falls through
    case 2:
      h ^= bytes[whole + 1]! << 8;
    // falls through
    case 1:
      h ^= bytes[whole]!;
      h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

let scratch = Buffer.allocUnsafe(256);

/** The partition of `key` among `partitions`: toPositive(murmur2(UTF-8 key)) % partitions. */
export function keyPartition(key: string | Buffer, partitions: number): number {
  let bytes: Uint8Array;
  let length: number;
  if (typeof key === 'string') {
    if (3 * key.length > scratch.length) scratch = Buffer.allocUnsafe(3 * key.length);
    length = scratch.write(key, 0, 'utf8');
    bytes = scratch;
  } else {
    bytes = key;
    length = key.length;
  }
  return (murmur2(bytes, length) & 0x7fffffff) % partitions;
}

/**
 * kafkajs's DefaultPartitioner with the keyed case computed by keyPartition (same partitions);
 * an explicit partition, and records without a key, as kafkajs decides them.
 */
export const KeyPartitioner: ICustomPartitioner = () => {
  const fallback = Partitioners.DefaultPartitioner();
  return (args: PartitionerArgs) => {
    const { message, partitionMetadata } = args;
    if (message.partition === null || message.partition === undefined) {
      if (message.key !== null && message.key !== undefined) return keyPartition(message.key, partitionMetadata.length);
    }
    return fallback(args);
  };
};
