// `cs-appraisal rescore` through the bin against the real Redis: a past month known only to Redis,
// scored under its rules and under a proposal raising the A threshold to 92; the diff is the one
// worked out by hand in packages/appraisal/test/what-if.test.ts. Nothing is written anywhere.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES, type WhatIfDiff } from '@cs/appraisal';
import { seedPeriod, storeOnlyCli, WHAT_IF_EXAMPLE } from '../harness/period-seed.ts';

const { month, prefix, redis, store, cli } = storeOnlyCli('rescore', 'ws');
const dir = mkdtempSync(path.join(os.tmpdir(), 'cs-rescore-'));
const A92 = path.join(dir, 'a92.json');

const { counters: COUNTERS, roster: ROSTER } = WHAT_IF_EXAMPLE;

const keysOf = async () => (await redis.keys(`${prefix}*`)).sort();
let keysBefore: string[] = [];

beforeAll(async () => {
  writeFileSync(A92, JSON.stringify({ grades: { A: 92 } }));
  await seedPeriod(store, month, ROSTER, COUNTERS);
  keysBefore = await keysOf();
});

afterAll(() => {
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('cs-appraisal rescore', () => {
  it('prints the grades moved per team, the award lost and the coefficient total, and writes nothing', async () => {
    const r = await cli(['--period', month.id, '--rules', A92]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`What-if ${month.id}: 3 staff scored under ${DEFAULT_RULES.rulesVersion} (current) and ${DEFAULT_RULES.rulesVersion}+what-if (${A92}); nothing published`);
    expect(r.stdout).toMatch(/\nT1\s+2\s+1\s+0\s+1\s+0\s+0\s+0\n/);
    expect(r.stdout).toMatch(/\nT2\s+1\s+1->0\s+0->1\s+0\s+0\s+0\s+1\n/);
    expect(r.stdout).toContain('  S03  T2  A -> B  composite 91.6 -> 91.6');
    expect(r.stdout).toContain('Awards: 0 gained, 1 lost\n  - SERVICE_STAR  S03');
    expect(r.stdout).toContain('Vetoes: no change');
    expect(r.stdout).toContain('  S03  1.20 -> 1.05');
    expect(r.stdout).toContain('Eligible: 3 -> 3');
    expect(r.stdout).toContain('Σ bonus coefficient: 3.35 -> 3.20 (-0.15)');
    expect(await keysOf()).toEqual(keysBefore);
  });

  it('--json is the diff for tools', async () => {
    const r = await cli(['--period', month.id, '--rules', A92, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as WhatIfDiff & { period: string };
    expect(d.period).toBe(month.id);
    expect(d.gradesMoved).toBe(1);
    expect(d.teams.map((t) => t.moved)).toEqual([[], [{ staffId: 'S03', from: 'A', to: 'B', compositeFrom: 91.6, compositeTo: 91.6 }]]);
    expect(d.coefficients).toMatchObject({ currentTotal: 3.35, proposedTotal: 3.2, delta: -0.15 });
  });

  it('refuses a missing --rules and a rules file the model rejects, naming them (exit 2)', async () => {
    const missing = await cli(['--period', month.id]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing --rules');
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ grades: { A: 'ninety' } }));
    const r = await cli(['--period', month.id, '--rules', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--rules ${bad}`);
    expect(r.stdout).toBe('');
  });
});
