// Enumerations of the domain (events.md, appraisal-model.md). Pure data, no logic.

export const ROLES = [
  'HOTLINE_AGENT',
  'HALL_CLERK',
  'METER_READER',
  'BILLING_CLERK',
  'REPAIR_CREW',
  'WORK_ORDER_CLERK',
] as const;
export type Role = (typeof ROLES)[number];

export const SKILLS = [
  'SERVICE_ETIQUETTE',
  'BUSINESS_KNOWLEDGE',
  'PROCESS_EFFICIENCY',
  'COMMUNICATION',
  'SAFETY',
  'TECHNICAL',
] as const;
export type Skill = (typeof SKILLS)[number];

export const WORK_ORDER_TYPES = [
  'NEW_CONNECTION',
  'CAPACITY_INCREASE',
  'CHANGE_OF_USE',
  'METER_REPLACEMENT',
  'METER_REMOVAL_REINSTALL',
  'SERVICE_LINE_RELOCATION',
  'SUPPLY_SCHEME_REPLY',
  'METER_TEST',
  'COMPLAINT_REPLY',
] as const;
export type WorkOrderType = (typeof WORK_ORDER_TYPES)[number];

export const CUSTOMER_CLASSES = [
  'RESIDENTIAL',
  'LOW_VOLTAGE_NON_RESIDENTIAL',
  'HIGH_VOLTAGE_SINGLE',
  'HIGH_VOLTAGE_DUAL',
] as const;
export type CustomerClass = (typeof CUSTOMER_CLASSES)[number];

export const AREA_CLASSES = ['URBAN', 'RURAL', 'REMOTE'] as const;
export type AreaClass = (typeof AREA_CLASSES)[number];

export const NOTICE_TYPES = ['PLANNED', 'TEMPORARY'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/** The seven dimensions, in the order of the source document (W T A S C K D). */
export const DIMENSIONS = [
  'workload',
  'timeliness',
  'accuracy',
  'standardisation',
  'satisfaction',
  'taskCompletion',
  'conduct',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const GRADES = ['A', 'B', 'C', 'D'] as const;
export type LetterGrade = (typeof GRADES)[number];
export type Grade = LetterGrade | 'INSUFFICIENT_DATA';

export const SCORECARD_STATUSES = ['PROVISIONAL', 'FINAL', 'REVISED'] as const;
export type ScorecardStatus = (typeof SCORECARD_STATUSES)[number];

export const PERIOD_KINDS = ['DAY', 'MONTH'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export const AWARDS = ['MOST_IMPROVED', 'SERVICE_STAR', 'TEAM_HONOUR'] as const;
export type Award = (typeof AWARDS)[number];

export const VETO_REASONS = ['SERIOUS_COMPLAINT', 'LOW_ATTENDANCE'] as const;
export type VetoReason = (typeof VETO_REASONS)[number];

/** KPIs scored linearly between a floor and a target (workload_units is scored separately). */
export const LINEAR_KPI_IDS = [
  'avg_handle_seconds',
  'callback_on_time_rate',
  'work_order_on_time_rate',
  'restoration_on_time_rate',
  'outage_notice_on_time_rate',
  'first_contact_resolution',
  'meter_reading_accuracy',
  'billing_accuracy',
  'work_order_right_first_time',
  'quality_score',
  'customer_satisfaction',
  'repair_satisfaction',
  'feedback_360',
  'meter_reading_rate',
  'fee_collection_rate',
  'repair_commitment_rate',
  'callback_rate',
  'attendance_rate',
  'supervisor_rating',
] as const;
export type LinearKpiId = (typeof LINEAR_KPI_IDS)[number];

export const SCORED_KPI_IDS = ['workload_units', ...LINEAR_KPI_IDS] as const;
export type ScoredKpiId = (typeof SCORED_KPI_IDS)[number];

/** Reported on every scorecard with score null. */
export const REPORTED_MEASURE_IDS = [
  'contacts_handled',
  'problems_solved',
  'questions_answered',
  'meter_readings',
  'work_orders_completed',
  'repairs_restored',
  'callbacks_made',
  'quality_pass_rate',
  'violations',
  'complaints_general',
  'complaints_serious',
  'complaints_general_substantiated',
  'complaints_serious_substantiated',
  'training_completed',
  'training_gain',
  'improvement',
] as const;
export type ReportedMeasureId = (typeof REPORTED_MEASURE_IDS)[number];

export type KpiId = ScoredKpiId | ReportedMeasureId;
