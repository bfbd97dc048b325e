// One valid value per kind / record topic. The round-trip test enumerates kinds from the schemas,
// so a kind added to a schema without a fixture here fails the suite.
import { loadCatalogue } from '../src/index.ts';
import type { SourceEvent, StaffProfile, Scorecard, Eligibility, DeadLetter, EventKind, Kpi, Kpis, Correction, TeamScorecard } from '../src/index.ts';

export const NOW = Date.UTC(2026, 9, 15, 12, 0, 0); // fixed "now" for time rules
const T = (d: number, h = 9, m = 0) => Date.UTC(2026, 9, d, h, m, 0);

export const EVENT_FIXTURES: { [K in EventKind]: Extract<SourceEvent, { kind: K }> } = {
  CallAnswered: { kind: 'CallAnswered', eventId: '5b0c6a52-1f0e-4c1e-9a55-0d5c9e1f0001', occurredAt: T(5), callId: 'C1001', staffId: 'S001', queue: '95598-general', waitSeconds: 12.5 },
  CallAbandoned: { kind: 'CallAbandoned', eventId: 'e-0002', occurredAt: T(5), callId: 'C1002', queue: '95598-general', waitSeconds: 41 },
  ContactCompleted: { kind: 'ContactCompleted', eventId: 'e-0003', occurredAt: T(5, 9, 7), callId: 'C1001', staffId: 'S001', channel: 'HOTLINE', category: 'BILLING', talkSeconds: 240, holdSeconds: 15, wrapSeconds: 30, resolution: 'RESOLVED' },
  SurveyAnswered: { kind: 'SurveyAnswered', eventId: 'e-0004', occurredAt: T(5, 9, 10), callId: 'C1001', staffId: 'S001', score: 5 },
  QualityInspected: { kind: 'QualityInspected', eventId: 'e-0005', occurredAt: T(6), callId: 'C1001', staffId: 'S001', score: 92.5, violations: ['GREETING', 'CLOSING'] },
  CallbackAssigned: { kind: 'CallbackAssigned', eventId: 'e-0006', occurredAt: T(5), ticketId: 'TK-1', staffId: 'S002', dueAt: T(6, 18) },
  CallbackCompleted: { kind: 'CallbackCompleted', eventId: 'e-0007', occurredAt: T(6, 10), ticketId: 'TK-1', staffId: 'S002', dueAt: T(6, 18), outcome: 'SATISFIED' },
  ComplaintAgainstStaff: { kind: 'ComplaintAgainstStaff', eventId: 'e-0008', occurredAt: T(7), complaintId: 'CP-9', staffId: 'S003', severity: 'GENERAL', substantiated: true },
  MeterReadingAssigned: { kind: 'MeterReadingAssigned', eventId: 'e-0009', occurredAt: T(1), taskId: 'MR-1', staffId: 'S010', dueAt: T(10, 23, 59) },
  MeterReadingCompleted: { kind: 'MeterReadingCompleted', eventId: 'e-0010', occurredAt: T(8), taskId: 'MR-1', staffId: 'S010', dueAt: T(10, 23, 59), method: 'REMOTE' },
  BillIssued: { kind: 'BillIssued', eventId: 'e-0011', occurredAt: T(2), billId: 'B-1', staffId: 'S011', amountDueCents: 12_345_67, dueAt: T(25) },
  PaymentReceived: { kind: 'PaymentReceived', eventId: 'e-0012', occurredAt: T(9), billId: 'B-1', staffId: 'S011', amountCents: 12_345_67, dueAt: T(25) },
  BillCorrected: { kind: 'BillCorrected', eventId: 'e-0013', occurredAt: T(9), billId: 'B-1', staffId: 'S011', reason: 'TARIFF_ERROR' },
  WorkOrderAccepted: { kind: 'WorkOrderAccepted', eventId: 'e-0014', occurredAt: T(3), orderId: 'WO-1', staffId: 'S020', type: 'CAPACITY_INCREASE', customerClass: 'LOW_VOLTAGE_NON_RESIDENTIAL', dueAt: null },
  WorkOrderCompleted: { kind: 'WorkOrderCompleted', eventId: 'e-0015', occurredAt: T(8), orderId: 'WO-1', staffId: 'S020', type: 'CAPACITY_INCREASE', customerClass: 'LOW_VOLTAGE_NON_RESIDENTIAL', acceptedAt: T(3), dueAt: T(12, 16), reworked: false },
  RepairArrived: { kind: 'RepairArrived', eventId: 'e-0016', occurredAt: T(4, 10, 30), ticketId: 'R-1', crewStaffIds: ['S030', 'S031'], areaClass: 'URBAN', reportedAt: T(4, 10, 0) },
  RepairRestored: { kind: 'RepairRestored', eventId: 'e-0017', occurredAt: T(4, 12, 0), ticketId: 'R-1', crewStaffIds: ['S030', 'S031'], areaClass: 'URBAN', reportedAt: T(4, 10, 0), arrivedAt: T(4, 10, 30) },
  RepairFeedback: { kind: 'RepairFeedback', eventId: 'e-0018', occurredAt: T(4, 15), ticketId: 'R-1', crewStaffIds: ['S030', 'S031'], score: 4 },
  OutageNoticePublished: { kind: 'OutageNoticePublished', eventId: 'e-0019', occurredAt: T(1), noticeId: 'N-1', staffId: 'S032', noticeType: 'PLANNED', outageStartsAt: T(8) },
  ShiftAttended: { kind: 'ShiftAttended', eventId: 'e-0020', occurredAt: T(5, 17), staffId: 'S001', shiftId: 'SH-5', scheduledMinutes: 480, attendedMinutes: 470, late: true },
  SupervisorRated: { kind: 'SupervisorRated', eventId: 'e-0021', occurredAt: T(10), staffId: 'S001', raterId: 'M001', score: 88 },
  FeedbackGiven: { kind: 'FeedbackGiven', eventId: 'e-0022', occurredAt: T(10), staffId: 'S001', raterId: 'S002', relation: 'PEER', score: 76.5 },
  TrainingCompleted: { kind: 'TrainingCompleted', eventId: 'e-0023', occurredAt: T(11), staffId: 'S001', courseId: 'CRS-COMM-1', skill: 'COMMUNICATION', preScore: 62, postScore: 85 },
  SkillAssessed: { kind: 'SkillAssessed', eventId: 'e-0024', occurredAt: T(12), staffId: 'S010', skill: 'SAFETY', score: 64, assessedAt: T(12, 8), assessmentId: 'ASM-2026-10-S010.1' },
  QualificationGranted: { kind: 'QualificationGranted', eventId: 'e-0025', occurredAt: T(12), staffId: 'S010', qualificationId: 'LV_ELECTRICIAN', grantedAt: T(1), expiresAt: Date.UTC(2032, 9, 1), certificateId: 'T370102-2026-0415' },
  QualificationRevoked: { kind: 'QualificationRevoked', eventId: 'e-0026', occurredAt: T(13), staffId: 'S011', qualificationId: 'METER_BILLING', revokedAt: T(13, 8) },
};

export const STAFF_PROFILE: StaffProfile = { staffId: 'S001', teamId: 'T01', role: 'HOTLINE_AGENT', active: true, updatedAt: T(1), effectiveFrom: null };

/** As appraisal v1 wrote it: `kpis` a map holding some KPI ids. */
export const SCORECARD_V1 = {
  appraisalId: 'ap-7f3a', staffId: 'S001', teamId: 'T01', role: 'HOTLINE_AGENT',
  period: { kind: 'MONTH', start: '2026-10-01', end: '2026-11-01', timeZone: 'Asia/Shanghai' },
  status: 'FINAL', revision: 0, rulesVersion: 'rules-v1',
  kpis: {
    customer_satisfaction: { value: 0.95, numerator: 19, denominator: 20, score: 78.9 },
    contacts_handled: { value: 412, numerator: null, denominator: null, score: null },
  } as Record<string, Kpi>,
  dimensions: { workload: 88.1, timeliness: 92.0, accuracy: null, standardisation: 80.0, satisfaction: 78.9, taskCompletion: 100, conduct: 95.0 },
  composite: 87.3, grade: 'B', teamRank: 3, teamSize: 12, computedAt: '2026-11-04T00:00:05.000Z',
} as const satisfies Omit<Scorecard, 'kpis' | 'reasons' | 'trend' | 'staticProfile'> & { kpis: Record<string, Kpi> };

type SchemaRecord = { fields: { name: string; type: unknown }[] };
/** The KPI ids of the current appraisal schema, in field order. */
export const KPI_IDS = ((loadCatalogue().subjects.appraisal.currentSchema as SchemaRecord).fields.find((f) => f.name === 'kpis')!.type as SchemaRecord).fields.map((f) => f.name);
const NOT_APPLICABLE: Kpi = { value: null, numerator: null, denominator: null, score: null };

/** SCORECARD_V1 as v7 writes without corrections, trend and static profile (and as a v1-v6 record reads under v7): every KPI, the absent ones not applicable, no reasons, trend and staticProfile null. */
export const SCORECARD: Scorecard = {
  ...SCORECARD_V1,
  kpis: { ...(Object.fromEntries(KPI_IDS.map((id) => [id, NOT_APPLICABLE])) as Kpis), ...SCORECARD_V1.kpis },
  reasons: [],
  trend: null,
  staticProfile: null,
};

/** SCORECARD as v6 wrote it (no `staticProfile` field). */
export const { staticProfile: _noStatic, ...SCORECARD_NO_STATIC } = SCORECARD;
/** SCORECARD as v3-v5 wrote it (no `trend` field). */
export const { trend: _noTrend, ...SCORECARD_NO_TREND } = SCORECARD_NO_STATIC;
/** SCORECARD as v2 wrote it (no `reasons` field). */
export const { reasons: _noReasons, ...SCORECARD_V2 } = SCORECARD_NO_TREND;

/** A v6 MONTH card with its trend (docs/dynamic-appraisal.md's examples). */
export const SCORECARD_WITH_TREND: Scorecard = {
  ...SCORECARD,
  trend: {
    shortWindow: 3, shortGraded: 3, shortMean: 81.3, shortSlope: 4, longWindow: 6, longGraded: 5, longMean: 77.6, longSlope: 3.1,
    consecutiveD: 0, trainingMonth: '2026-09', trainingSkills: ['PROCESS_EFFICIENCY'], trainingGain: 10, trainingGainScore: 100,
  },
};

/** A v7 MONTH card with its static profile (docs/static-appraisal.md's worked example). */
export const SCORECARD_WITH_STATIC: Scorecard = {
  ...SCORECARD,
  staticProfile: {
    asOf: Date.UTC(2026, 9, 31, 16),
    skills: [
      { skill: 'BUSINESS_KNOWLEDGE', score: 75, assessedAt: Date.UTC(2026, 8, 19, 16) },
      { skill: 'SAFETY', score: 64, assessedAt: Date.UTC(2026, 9, 11, 16) },
    ],
    qualifications: [
      { qualificationId: 'FIRST_AID', grantedAt: Date.UTC(2024, 5, 29, 16), expiresAt: Date.UTC(2027, 5, 29, 16), certificateId: 'c3' },
      { qualificationId: 'LV_ELECTRICIAN', grantedAt: Date.UTC(2020, 11, 14, 16), expiresAt: Date.UTC(2026, 11, 14, 16), certificateId: 'c1' },
    ],
    missing: ['METER_BILLING'],
    expiring: [{ qualificationId: 'LV_ELECTRICIAN', expiresAt: Date.UTC(2026, 11, 14, 16), daysLeft: 44 }],
    belowScore: ['SAFETY'],
  },
};

/** A v3 card with its reasons: a note-only correction and a supervisor's adjustment, in the order they apply. */
export const SCORECARD_WITH_REASONS: Scorecard = {
  ...SCORECARD,
  reasons: [
    { correctionId: 'COR-1', kind: 'COMPLAINT_RULING', reason: 'appeal upheld', requestedBy: 'S001', approvedBy: 'M01', at: 1_790_000_000_000, detail: 'complaint CMP-7 OVERTURNED: complaints_serious_substantiated -1', adjustment: null },
    { correctionId: 'COR-2', kind: 'ADJUSTMENT', reason: 'system outage', requestedBy: 'M01', approvedBy: 'D01', at: 1_790_000_060_000, detail: 'conduct +5', adjustment: { target: 'DIMENSION', id: 'conduct', mode: 'DELTA', amount: 5 } },
  ],
};

export const ELIGIBILITY: Eligibility = {
  eligibilityId: 'el-1', appraisalId: 'ap-7f3a', staffId: 'S001', teamId: 'T01',
  period: { kind: 'MONTH', start: '2026-10-01', end: '2026-11-01', timeZone: 'Asia/Shanghai' },
  grade: 'B', eligible: true, bonusCoefficient: 1.05, awards: ['TEAM_HONOUR'], vetoReasons: [], trainingRecommendations: ['COMMUNICATION'], improvementPlanRequired: false,
};

/** A team card (docs/team-scorecards.md, worked example T1). */
export const TEAM_SCORECARD: TeamScorecard = {
  teamId: 'T1',
  period: { kind: 'MONTH', start: '2026-10-01', end: '2026-11-01', timeZone: 'Asia/Shanghai' },
  status: 'FINAL', revision: 0, rulesVersion: '2026.1', members: 3, graded: 3,
  grades: { A: 1, B: 1, C: 1, D: 0, INSUFFICIENT_DATA: 0 },
  workloadPerHead: 100, compositeMean: 82.3, compositeSpread: 9.2,
  kpis: [
    { kpiId: 'service_level', value: 0.7727, numerator: 231.8182, denominator: 300, score: 86.4 },
    { kpiId: 'meter_reading_rate', value: null, numerator: 0, denominator: 0, score: null },
  ],
  kpiScore: 76.5, score: 82.3, rank: 2, computedAt: '2026-11-04T00:00:00.000Z',
};

export const DEAD_LETTER: DeadLetter = {
  originalTopic: 'cs.callcenter.v1', partition: 3, offset: '1234567890123', key: Buffer.from('S001'), value: Buffer.from([0, 0, 0, 0, 99, 1, 2]),
  errorClass: 'DECODE', code: 'CS_DECODE_UNKNOWN_SCHEMA_ID', message: 'writer schema id is not in the schema catalogue: id 99', service: 'aggregator', at: T(5),
};

/** A correction (issue #16 item 3): an appeal that overturned a complaint. */
export const CORRECTION: Correction = {
  correctionId: 'COR-1',
  kind: 'COMPLAINT_RULING',
  occurredAt: NOW - 3_600_000,
  staffId: 'S001',
  reason: 'appeal: the recording shows no fault',
  requestedBy: 'SUP-01',
  approvedBy: 'HR-02',
  targetEventId: 'evt-complaint-1',
  targetPeriod: 'MONTH:2026-10',
  ruling: 'OVERTURNED',
  periodId: null,
  adjustment: null,
  rules: null,
};
