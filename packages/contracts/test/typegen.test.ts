import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTypes } from '../src/typegen.ts';

describe('generated types', () => {
  it('src/generated/types.ts is up to date with the schemas (run: npx tsx scripts/gen-contract-types.ts)', () => {
    const committed = readFileSync(new URL('../src/generated/types.ts', import.meta.url), 'utf8');
    expect(committed === generateTypes(), 'packages/contracts/src/generated/types.ts is stale: run `npx tsx scripts/gen-contract-types.ts`').toBe(true);
  });
});
