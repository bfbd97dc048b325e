import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, mergeRules, validateRules, ROLES, DIMENSIONS } from '../src/index.ts';
import { rulesRefusal } from './rules-refusal.ts';

const refusal = (override: unknown) => rulesRefusal(() => mergeRules(DEFAULT_RULES, override));

describe('default rules', () => {
  it('are valid and carry a version', () => {
    expect(validateRules(DEFAULT_RULES)).toEqual(DEFAULT_RULES);
    expect(DEFAULT_RULES.rulesVersion).toBe('2026.1');
  });

  it('have role weights that sum to 100 per role', () => {
    for (const role of ROLES) {
      const sum = DIMENSIONS.reduce((s, d) => s + DEFAULT_RULES.roleWeights[role][d], 0);
      expect(sum, role).toBe(100);
    }
  });

  it('state the spec thresholds', () => {
    expect(DEFAULT_RULES.kpis.avg_handle_seconds).toMatchObject({ better: 'lower', floor: 600, target: 300, minSample: 10 });
    expect(DEFAULT_RULES.kpis.customer_satisfaction).toMatchObject({ floor: 0.8, target: 0.99, minSample: 5 });
    expect(DEFAULT_RULES.grades).toEqual({ A: 90, B: 80, C: 60 });
    expect(DEFAULT_RULES.commitments.repairArrivalMinutes).toEqual({ URBAN: 45, RURAL: 90, REMOTE: 120 });
  });
});

describe('mergeRules', () => {
  it('keeps the version when the override changes nothing', () => {
    expect(mergeRules(DEFAULT_RULES, {})).toEqual(DEFAULT_RULES);
    expect(mergeRules(DEFAULT_RULES, { grades: { A: 90 } }).rulesVersion).toBe('2026.1');
  });

  it('deep-merges one setting and keeps every other', () => {
    const r = mergeRules(DEFAULT_RULES, { kpis: { avg_handle_seconds: { floor: 660 } } });
    expect(r.kpis.avg_handle_seconds).toEqual({ better: 'lower', floor: 660, target: 300, minSample: 10, weight: 1 });
    expect(r.kpis.customer_satisfaction).toEqual(DEFAULT_RULES.kpis.customer_satisfaction);
    expect(r.roleWeights).toEqual(DEFAULT_RULES.roleWeights);
    expect(DEFAULT_RULES.kpis.avg_handle_seconds.floor).toBe(600); // defaults untouched
  });

  it('derives a new, deterministic version from the effective rules', () => {
    const a = mergeRules(DEFAULT_RULES, { kpis: { avg_handle_seconds: { floor: 660 } } });
    const b = mergeRules(DEFAULT_RULES, { kpis: { avg_handle_seconds: { floor: 660 } } });
    const c = mergeRules(DEFAULT_RULES, { kpis: { avg_handle_seconds: { floor: 700 } } });
    expect(a.rulesVersion).toMatch(/^2026\.1\+[0-9a-f]{12}$/);
    expect(b.rulesVersion).toBe(a.rulesVersion);
    expect(c.rulesVersion).not.toBe(a.rulesVersion);
  });

  it('uses a version the override states', () => {
    const r = mergeRules(DEFAULT_RULES, { rulesVersion: '2026.2', grades: { A: 92 } });
    expect(r.rulesVersion).toBe('2026.2');
    expect(r.grades).toEqual({ A: 92, B: 80, C: 60 });
  });

  it('refuses a change that keeps the base version', () => {
    expect(refusal({ rulesVersion: '2026.1', grades: { A: 92 } })).toMatch(/rulesVersion: must differ/);
  });

  it('replaces arrays and lets a number replace a per-class table', () => {
    const r = mergeRules(DEFAULT_RULES, {
      calendar: { holidays: ['2026-10-01', '2026-10-02'] },
      commitments: { workOrderWorkingDays: { byType: { NEW_CONNECTION: 10 } } },
    });
    expect(r.calendar.holidays).toEqual(['2026-10-01', '2026-10-02']);
    expect(r.commitments.workOrderWorkingDays.byType.NEW_CONNECTION).toBe(10);
    expect(r.commitments.workOrderWorkingDays.byType.METER_TEST).toBe(5);
  });

  it('refuses a bad type naming the path', () => {
    expect(refusal({ kpis: { avg_handle_seconds: { floor: 'ten' } } })).toContain(
      'kpis.avg_handle_seconds.floor: expected number',
    );
  });

  it('refuses an unknown setting naming the path', () => {
    expect(refusal({ kpis: { avg_handle_seconds: { flor: 600 } } })).toContain(
      'kpis.avg_handle_seconds.flor: unknown setting',
    );
    expect(refusal({ kpis: { not_a_kpi: { floor: 1 } } })).toContain('kpis.not_a_kpi: unknown setting');
  });

  it('refuses inconsistent or malformed values naming the path', () => {
    expect(refusal({ kpis: { customer_satisfaction: { target: 0.5 } } })).toContain('kpis.customer_satisfaction.target');
    expect(refusal({ calendar: { holidays: ['2026-13-01'] } })).toContain('calendar.holidays.0');
    expect(refusal({ timeZone: 'Mars/Olympus' })).toContain('timeZone: unknown IANA time zone');
    expect(refusal({ grades: { B: 95 } })).toContain('grades: expected A > B > C');
    expect(refusal({ roleWeights: { HOTLINE_AGENT: { workload: -1 } } })).toContain('roleWeights.HOTLINE_AGENT.workload');
  });

  it('refuses an override that is not an object', () => {
    expect(refusal([1, 2])).toContain('expected a JSON object');
    expect(refusal(null)).toContain('expected a JSON object');
  });
});
