import { describe, expect, it } from 'vitest';
import { packValues, unpackValues } from '../src/worker-pool.ts';

describe('packValues / unpackValues (message values crossing to a batch worker)', () => {
  it('round-trips values, empty values and nulls (tombstones) in order', () => {
    const values = [Buffer.from('abc'), null, Buffer.alloc(0), Buffer.from([0, 255, 7]), null];
    const { bytes, ends } = packValues(values);
    expect(bytes.byteLength).toBe(6);
    expect(unpackValues(bytes, ends)).toEqual(values);
  });

  it('copies only the values, not the larger buffers they are views of', () => {
    const fetch = Buffer.alloc(1 << 20, 1); // a kafkajs value is a slice of the fetch response
    const values = [fetch.subarray(10, 20), fetch.subarray(500, 505)];
    const { bytes } = packValues(values);
    expect(bytes.byteLength).toBe(15);
    expect(unpackValues(bytes, packValues(values).ends).map((v) => v?.length)).toEqual([10, 5]);
  });

  it('handles an empty batch', () => {
    const { bytes, ends } = packValues([]);
    expect(unpackValues(bytes, ends)).toEqual([]);
  });
});
