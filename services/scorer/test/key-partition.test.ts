// keyPartition must pick the partition kafkajs's (and the Java client's) default partitioner picks,
// or a key's records would land in two partitions depending on which code sent them.
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { Rng } from '@cs/appraisal/testing';
import { KeyPartitioner, keyPartition, murmur2 } from '../src/key-partition.ts';

const meta = (n: number): PartitionMetadata[] => Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
const ALPHABET = ['a', 'Z', '0', '|', ':', '-', 'é', '班', '组', '😀', '\u0000', '\u007f', '\u0080'];

describe('keyPartition', () => {
  it('matches kafkajs DefaultPartitioner on keys of every length 0–64 and mixed UTF-8, for 1–12 partitions', () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    const rng = new Rng(20261204);
    const keys = ['', 'S00001|MONTH:2026-09', 'T0001|MONTH:2026-09'];
    for (let len = 0; len <= 64; len++) {
      for (let j = 0; j < 40; j++) keys.push(Array.from({ length: len }, () => ALPHABET[rng.intIn(0, ALPHABET.length - 1)]).join(''));
    }
    for (const key of keys) {
      for (const n of [1, 2, 3, 5, 6, 12]) {
        const expected = kafkajs({ topic: 't', partitionMetadata: meta(n), message: { key, value: null } });
        expect(keyPartition(key, n), JSON.stringify(key)).toBe(expected);
        expect(keyPartition(Buffer.from(key), n)).toBe(expected);
      }
    }
  });

  it("is Kafka's murmur2: the Java client's values for known strings", () => {
    // org.apache.kafka.common.utils.Utils.murmur2("21".getBytes()) == -973932308, as in the Java client's tests
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(Buffer.from('abc'))).toBe(479470107);
  });

  it('as a kafkajs partitioner: keyed records by keyPartition, an explicit partition kept, keyless ones spread by kafkajs', () => {
    const p = KeyPartitioner();
    expect(p({ topic: 't', partitionMetadata: meta(3), message: { key: 'S00001', value: null } })).toBe(keyPartition('S00001', 3));
    expect(p({ topic: 't', partitionMetadata: meta(3), message: { key: 'S00001', value: null, partition: 2 } })).toBe(2);
    const keyless = new Set(Array.from({ length: 12 }, () => p({ topic: 't', partitionMetadata: meta(3), message: { value: null } })));
    expect(keyless).toEqual(new Set([0, 1, 2]));
  });
});
