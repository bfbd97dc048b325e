// The hostile-bytes guard run before avsc decodes (avro-guard.ts), on hand-made bytes.
import { describe, expect, it } from 'vitest';
import { hostileCheckFor } from '../src/avro-guard.ts';
import { parseSchema } from '../src/avro.ts';

const T = parseSchema({ type: 'record', name: 'R', fields: [{ name: 'id', type: 'string' }, { name: 'tags', type: { type: 'array', items: 'string' } }, { name: 'm', type: { type: 'map', values: 'long' } }] } as never);

const hostileBytes = (t: typeof T, buf: Buffer, pos: number) => hostileCheckFor(t)?.(buf, pos) ?? null;

describe('hostileCheckFor', () => {
  it('passes what avsc itself wrote, and says nothing of a type without arrays or maps', () => {
    const ok = T.toBuffer({ id: 'S1', tags: ['a', 'b'], m: { x: 1 } });
    expect(hostileBytes(T, ok, 0)).toBeNull();
    const plain = parseSchema({ type: 'record', name: 'P', fields: [{ name: 'n', type: 'long' }] } as never);
    expect(hostileCheckFor(plain)).toBeNull();
  });

  it('refuses a block count larger than the bytes left, a truncated string and a __proto__ map key', () => {
    // id "S1", then an array block announcing 2^30 items
    const huge = Buffer.concat([Buffer.from([4]), Buffer.from('S1'), Buffer.from([0x80, 0x80, 0x80, 0x80, 0x08]), Buffer.alloc(4)]);
    expect(hostileBytes(T, huge, 0)).toMatch(/^block count 1073741824 exceeds the 4 bytes left$/);
    expect(hostileBytes(T, Buffer.from([40, 0x41]), 0)).toMatch(/20 bytes announced, 1 left/);
    const proto = Buffer.concat([Buffer.from([4]), Buffer.from('S1'), Buffer.from([0]), Buffer.from([2, 18]), Buffer.from('__proto__'), Buffer.from([2, 0])]);
    expect(hostileBytes(T, proto, 0)).toBe('map key "__proto__" is not allowed');
  });
});
