// Enumerations of the domain (events.md, appraisal-model.md). Pure data, no logic.

/** Every enumeration of the domain, under the name it is exported as; the types below derive from it. */
const ENUMERATIONS = {
  ROLES: [
    'HOTLINE_AGENT',
    'HALL_CLERK',
    'METER_READER',
    'BILLING_CLERK',
    'REPAIR_CREW',
    'WORK_ORDER_CLERK',
  ],
  SKILLS: [
    'SERVICE_ETIQUETTE',
    'BUSINESS_KNOWLEDGE',
    'PROCESS_EFFICIENCY',
    'COMMUNICATION',
    'SAFETY',
    'TECHNICAL',
  ],
  WORK_ORDER_TYPES: [
    'NEW_CONNECTION',
    'CAPACITY_INCREASE',
    'CHANGE_OF_USE',
    'METER_REPLACEMENT',
    'METER_REMOVAL_REINSTALL',
    'SERVICE_LINE_RELOCATION',
    'SUPPLY_SCHEME_REPLY',
    'METER_TEST',
    'COMPLAINT_REPLY',
  ],
  CUSTOMER_CLASSES: [
    'RESIDENTIAL',
    'LOW_VOLTAGE_NON_RESIDENTIAL',
    'HIGH_VOLTAGE_SINGLE',
    'HIGH_VOLTAGE_DUAL',
  ],
  AREA_CLASSES: [
    'URBAN',
    'RURAL',
    'REMOTE',
  ],
  NOTICE_TYPES: [
    'PLANNED',
    'TEMPORARY',
  ],
  /** The seven dimensions, in the order of the source document (W T A S C K D). */
  DIMENSIONS: [
    'workload',
    'timeliness',
    'accuracy',
    'standardisation',
    'satisfaction',
    'taskCompletion',
    'conduct',
  ],
  GRADES: [
    'A',
    'B',
    'C',
    'D',
  ],
  SCORECARD_STATUSES: [
    'PROVISIONAL',
    'FINAL',
    'REVISED',
  ],
  PERIOD_KINDS: [
    'DAY',
    'MONTH',
  ],
  AWARDS: [
    'MOST_IMPROVED',
    'SERVICE_STAR',
    'TEAM_HONOUR',
  ],
  VETO_REASONS: [
    'SERIOUS_COMPLAINT',
    'LOW_ATTENDANCE',
  ],
  /** KPIs scored linearly between a floor and a target (workload_units is scored separately). */
  LINEAR_KPI_IDS: [
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
  ],
  /** Reported on every scorecard with score null. */
  REPORTED_MEASURE_IDS: [
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
  ],
} as const;

/** The type of one member of enumeration `Name` (Member<'GRADES'> = 'A' | 'B' | 'C' | 'D'). */
type Member<Name extends keyof typeof ENUMERATIONS> = (typeof ENUMERATIONS)[Name][number];

export const {
  ROLES,
  SKILLS,
  WORK_ORDER_TYPES,
  CUSTOMER_CLASSES,
  AREA_CLASSES,
  NOTICE_TYPES,
  DIMENSIONS,
  GRADES,
  SCORECARD_STATUSES,
  PERIOD_KINDS,
  AWARDS,
  VETO_REASONS,
  LINEAR_KPI_IDS,
  REPORTED_MEASURE_IDS,
} = ENUMERATIONS;

export type Role = Member<'ROLES'>;
export type Skill = Member<'SKILLS'>;
export type WorkOrderType = Member<'WORK_ORDER_TYPES'>;
export type CustomerClass = Member<'CUSTOMER_CLASSES'>;
export type AreaClass = Member<'AREA_CLASSES'>;
export type NoticeType = Member<'NOTICE_TYPES'>;
export type Dimension = Member<'DIMENSIONS'>;
export type LetterGrade = Member<'GRADES'>;
export type ScorecardStatus = Member<'SCORECARD_STATUSES'>;
export type PeriodKind = Member<'PERIOD_KINDS'>;
export type Award = Member<'AWARDS'>;
export type VetoReason = Member<'VETO_REASONS'>;
export type LinearKpiId = Member<'LINEAR_KPI_IDS'>;
export type ReportedMeasureId = Member<'REPORTED_MEASURE_IDS'>;

// Types composed of the enumerations above.

export type Grade = LetterGrade | 'INSUFFICIENT_DATA';

/** Every scored KPI: workload_units, then the linear ones. */
export const SCORED_KPI_IDS = ['workload_units', ...LINEAR_KPI_IDS] as const;
export type ScoredKpiId = (typeof SCORED_KPI_IDS)[number];

export type KpiId = ScoredKpiId | ReportedMeasureId;
