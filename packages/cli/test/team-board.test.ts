import { describe, expect, it } from 'vitest';
import type { TeamScorecard } from '@cs/contracts';
import { teamBoard } from '../src/team-board.ts';

const team = (teamId: string, rank: number | null, over: Partial<TeamScorecard> = {}): TeamScorecard => ({
  teamId, period: { kind: 'MONTH', start: '2000-10-01', end: '2000-11-01', timeZone: 'Asia/Shanghai' }, status: 'FINAL', revision: 0, rulesVersion: 'v', members: 3, graded: 3,
  grades: { A: 1, B: 1, C: 1, D: 0, INSUFFICIENT_DATA: 0 }, workloadPerHead: 100, compositeMean: 82.3, compositeSpread: 9.2,
  kpis: [
    { kpiId: 'service_level', value: 0.7727, numerator: 231.8, denominator: 300, score: 86.4 },
    { kpiId: 'repair_commitment_rate', value: null, numerator: 0, denominator: 0, score: null },
    { kpiId: 'fee_collection_rate', value: null, numerator: 0, denominator: 0, score: null },
    { kpiId: 'meter_reading_rate', value: 0.97, numerator: 1940, denominator: 2000, score: 40 },
    { kpiId: 'complaints_per_1000_contacts', value: 1, numerator: 1, denominator: 1000, score: 66.7 },
  ],
  kpiScore: 76.5, score: 82.3, rank, computedAt: '2000-11-04T00:00:00.000Z', ...over,
});

describe('teamBoard', () => {
  it('ranks first (unranked teams last, by id), rates as percent, complaints per 1,000 with two decimals', () => {
    const { headers, rows } = teamBoard([team('T9', null, { graded: 1 }), team('T1', 2), team('T2', 1, { score: 87.3, revision: 1, status: 'REVISED' })]);
    expect(headers).toEqual(['RANK', 'TEAM', 'STATUS', 'REV', 'SCORE', 'MEAN', 'SPREAD', 'SL', 'REPAIR', 'COLLECT', 'READING', 'CMPL/1K', 'A', 'B', 'C', 'D', 'N/A', 'MEMBERS', 'WORK/HEAD']);
    expect(rows.map((r) => r.slice(0, 5))).toEqual([['1', 'T2', 'REVISED', '1', '87.3'], ['2', 'T1', 'FINAL', '0', '82.3'], ['-', 'T9', 'FINAL', '0', '82.3']]);
    // 0.7727 -> 77.3 %, 0.97 -> 97.0 %, 1 complaint per 1,000 contacts -> 1.00
    expect(rows[0]!.slice(7)).toEqual(['77.3%', '-', '-', '97.0%', '1.00', '1', '1', '1', '0', '0', '3', '100.0']);
  });
});
