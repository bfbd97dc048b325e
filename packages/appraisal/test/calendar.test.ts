import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULES,
  addWorkingDays,
  isWorkingDay,
  localDate,
  mergeRules,
  outageNoticeLeadMs,
  repairArrivalCommitmentMs,
  restorationTargetMs,
  serviceLevelThresholdSeconds,
  startOfLocalDay,
  workOrderDeadline,
  workOrderWorkingDays,
  zonedTimeToEpoch,
} from '../src/index.ts';

const SH = 'Asia/Shanghai';
/** epoch ms of a Shanghai wall time */
const sh = (iso: string): number => Date.parse(`${iso}+08:00`);

// National Day 2026 as an operator would configure it: Oct 1–7 off, Sun Sep 20 and Sat Oct 10 worked.
const NATIONAL_DAY = mergeRules(DEFAULT_RULES, {
  calendar: {
    holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
    makeUpWorkingDays: ['2026-09-20', '2026-10-10'],
  },
});

describe('zone conversion', () => {
  it('maps instants to Shanghai local dates', () => {
    expect(localDate(Date.parse('2026-10-04T15:59:59Z'), SH)).toBe('2026-10-04');
    expect(localDate(Date.parse('2026-10-04T16:00:00Z'), SH)).toBe('2026-10-05');
    expect(startOfLocalDay('2026-10-05', SH)).toBe(Date.parse('2026-10-04T16:00:00Z'));
  });

  it('handles DST zones in general', () => {
    const NY = 'America/New_York';
    expect(startOfLocalDay('2026-03-08', NY)).toBe(Date.parse('2026-03-08T05:00:00Z'));
    expect(startOfLocalDay('2026-03-09', NY)).toBe(Date.parse('2026-03-09T04:00:00Z'));
    // 02:30 does not exist on the spring-forward day: the instant after the jump
    expect(zonedTimeToEpoch('2026-03-08', NY, 2, 30)).toBe(Date.parse('2026-03-08T07:30:00Z'));
    // 01:30 happens twice on the fall-back day: the earlier one
    expect(zonedTimeToEpoch('2026-11-01', NY, 1, 30)).toBe(Date.parse('2026-11-01T05:30:00Z'));
  });
});

describe('working days', () => {
  it('are Monday to Friday by default', () => {
    expect(isWorkingDay('2026-10-02', DEFAULT_RULES)).toBe(true); // Fri
    expect(isWorkingDay('2026-10-03', DEFAULT_RULES)).toBe(false); // Sat
    expect(isWorkingDay('2026-10-04', DEFAULT_RULES)).toBe(false); // Sun
    expect(addWorkingDays('2026-10-02', 1, DEFAULT_RULES)).toBe('2026-10-05');
  });

  it('skip holidays and include make-up days', () => {
    expect(isWorkingDay('2026-10-05', NATIONAL_DAY)).toBe(false); // Monday holiday
    expect(isWorkingDay('2026-09-20', NATIONAL_DAY)).toBe(true); // Sunday make-up
    expect(isWorkingDay('2026-10-10', NATIONAL_DAY)).toBe(true); // Saturday make-up
  });
});

describe('workOrderDeadline', () => {
  it('looks up days by type and customer class', () => {
    expect(workOrderWorkingDays('SUPPLY_SCHEME_REPLY', 'RESIDENTIAL', DEFAULT_RULES)).toBe(3);
    expect(workOrderWorkingDays('SUPPLY_SCHEME_REPLY', 'HIGH_VOLTAGE_DUAL', DEFAULT_RULES)).toBe(30);
    expect(workOrderWorkingDays('NEW_CONNECTION', 'LOW_VOLTAGE_NON_RESIDENTIAL', DEFAULT_RULES)).toBe(6);
    expect(workOrderWorkingDays('NEW_CONNECTION', 'HIGH_VOLTAGE_SINGLE', DEFAULT_RULES)).toBe(22);
    expect(workOrderWorkingDays('METER_TEST', 'HIGH_VOLTAGE_DUAL', DEFAULT_RULES)).toBe(5);
    expect(workOrderWorkingDays('CAPACITY_INCREASE', 'RESIDENTIAL', DEFAULT_RULES)).toBe(5); // other types
  });

  it('crosses a weekend: 3 working days from Thursday end Wednesday 24:00', () => {
    // Thu Oct 8 -> Fri 9 (1), Mon 12 (2), Tue 13 (3) -> 24:00 of Tue = Wed 00:00 local
    const due = workOrderDeadline('SUPPLY_SCHEME_REPLY', 'RESIDENTIAL', sh('2026-10-08T10:00:00'), DEFAULT_RULES);
    expect(due).toBe(sh('2026-10-14T00:00:00'));
  });

  it('counts from the local day of acceptance, not the UTC day', () => {
    // 00:30 Saturday in Shanghai is still Friday in UTC; the local day (Sat) counts: Mon is day 1
    const due = workOrderDeadline('METER_TEST', 'RESIDENTIAL', sh('2026-10-03T00:30:00'), mergeRules(DEFAULT_RULES, {
      commitments: { workOrderWorkingDays: { byType: { METER_TEST: 1 } } },
    }));
    expect(due).toBe(sh('2026-10-06T00:00:00'));
  });

  it('skips a holiday week and counts a make-up Saturday', () => {
    // Tue Sep 29: Wed 30 (1), Oct 1-7 off, Thu 8 (2), Fri 9 (3), Sat 10 make-up (4), Mon 12 (5)
    const due = workOrderDeadline('COMPLAINT_REPLY', 'RESIDENTIAL', sh('2026-09-29T15:00:00'), NATIONAL_DAY);
    expect(due).toBe(sh('2026-10-13T00:00:00'));
    expect(due).toBe(Date.parse('2026-10-12T16:00:00Z'));
  });

  it('counts a make-up Sunday', () => {
    // Fri Sep 18: Sun 20 make-up (1), 21 (2), 22 (3), 23 (4), 24 (5)
    expect(workOrderDeadline('METER_TEST', 'RESIDENTIAL', sh('2026-09-18T09:00:00'), NATIONAL_DAY)).toBe(
      sh('2026-09-25T00:00:00'),
    );
    // without it: 21, 22, 23, 24, 25
    expect(workOrderDeadline('METER_TEST', 'RESIDENTIAL', sh('2026-09-18T09:00:00'), DEFAULT_RULES)).toBe(
      sh('2026-09-26T00:00:00'),
    );
  });
});

describe('commitment helpers', () => {
  it('give the spec defaults', () => {
    expect(repairArrivalCommitmentMs('URBAN', DEFAULT_RULES)).toBe(45 * 60_000);
    expect(repairArrivalCommitmentMs('RURAL', DEFAULT_RULES)).toBe(90 * 60_000);
    expect(repairArrivalCommitmentMs('REMOTE', DEFAULT_RULES)).toBe(120 * 60_000);
    expect(restorationTargetMs('URBAN', DEFAULT_RULES)).toBe(3 * 3600_000);
    expect(restorationTargetMs('RURAL', DEFAULT_RULES)).toBe(4 * 3600_000);
    expect(restorationTargetMs('REMOTE', DEFAULT_RULES)).toBe(6 * 3600_000);
    expect(outageNoticeLeadMs('PLANNED', DEFAULT_RULES)).toBe(7 * 86_400_000);
    expect(outageNoticeLeadMs('TEMPORARY', DEFAULT_RULES)).toBe(86_400_000);
    expect(serviceLevelThresholdSeconds(DEFAULT_RULES)).toBe(20);
  });
});
