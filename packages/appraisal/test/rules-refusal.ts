import { expect } from 'vitest';
import { RulesError } from '../src/index.ts';

/** The message of the RulesError `f` throws; fails the test when `f` accepts. */
export function rulesRefusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RulesError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}
