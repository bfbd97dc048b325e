import { describe, expect, it } from 'vitest';
import { checkLayout, compileFunction } from '../src/unrolled.ts';

describe('unrolled code', () => {
  it('compiles a named function over its scope', () => {
    const f = compileFunction<(x: number) => number>('twice', ['x'], 'return k * x;', { k: 2 });
    expect([f.name, f(21)]).toEqual(['twice', 42]);
  });
  it('refuses a name that is not an identifier', () => {
    expect(() => compileFunction('f', ['a-b'], 'return 1;', {})).toThrow(/"a-b" is not an identifier/);
  });
  it('the layout check names both orders when they disagree', () => {
    expect(() => checkLayout('T', ['a', 'b'], ['a', 'b'])).not.toThrow();
    expect(() => checkLayout('T', ['b', 'a'], ['a', 'b'])).toThrow('T is laid out as [b, a], not as its id list [a, b]');
  });
});
