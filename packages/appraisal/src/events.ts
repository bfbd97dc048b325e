// Structural event types with exactly the field names of events.md; all times are epoch ms.
// Stand-in until '@cs/contracts' exports `SourceEvent`; the lead will swap the import.
// attribution.ts only reads the fields named here, so any structurally compatible type fits.

import type {
  AreaClass,
  CustomerClass,
  NoticeType,
  Skill,
  WorkOrderType,
} from './domain.ts';

interface Base {
  eventId: string;
  occurredAt: number;
}

export interface CallAnswered extends Base {
  kind: 'CallAnswered';
  callId: string;
  staffId: string;
  queue: string;
  waitSeconds: number;
}
export interface CallAbandoned extends Base {
  kind: 'CallAbandoned';
  callId: string;
  queue: string;
  waitSeconds: number;
}
export interface ContactCompleted extends Base {
  kind: 'ContactCompleted';
  callId: string;
  staffId: string;
  channel: 'HOTLINE' | 'HALL' | 'ONLINE';
  category: 'INQUIRY' | 'BUSINESS' | 'BILLING' | 'REPAIR' | 'COMPLAINT' | 'REPORT' | 'SUGGESTION';
  talkSeconds: number;
  holdSeconds: number;
  wrapSeconds: number;
  resolution: 'RESOLVED' | 'ESCALATED' | 'TRANSFERRED' | 'UNRESOLVED';
}
export interface SurveyAnswered extends Base {
  kind: 'SurveyAnswered';
  callId: string;
  staffId: string;
  score: number;
}
export interface QualityInspected extends Base {
  kind: 'QualityInspected';
  callId: string;
  staffId: string;
  score: number;
  violations: readonly string[];
}
export interface CallbackAssigned extends Base {
  kind: 'CallbackAssigned';
  ticketId: string;
  staffId: string;
  dueAt: number;
}
export interface CallbackCompleted extends Base {
  kind: 'CallbackCompleted';
  ticketId: string;
  staffId: string;
  dueAt: number;
  outcome: 'SATISFIED' | 'UNSATISFIED' | 'UNREACHABLE';
}
export interface ComplaintAgainstStaff extends Base {
  kind: 'ComplaintAgainstStaff';
  complaintId: string;
  staffId: string;
  severity: 'GENERAL' | 'SERIOUS';
  substantiated: boolean;
}
export interface MeterReadingAssigned extends Base {
  kind: 'MeterReadingAssigned';
  taskId: string;
  staffId: string;
  dueAt: number;
}
export interface MeterReadingCompleted extends Base {
  kind: 'MeterReadingCompleted';
  taskId: string;
  staffId: string;
  dueAt: number;
  method: 'MANUAL' | 'REMOTE' | 'ESTIMATED';
}
export interface BillIssued extends Base {
  kind: 'BillIssued';
  billId: string;
  staffId: string;
  amountDueCents: number;
  dueAt: number;
}
export interface PaymentReceived extends Base {
  kind: 'PaymentReceived';
  billId: string;
  staffId: string;
  amountCents: number;
  dueAt: number;
}
export interface BillCorrected extends Base {
  kind: 'BillCorrected';
  billId: string;
  staffId: string;
  reason: 'READING_ERROR' | 'TARIFF_ERROR' | 'CALCULATION_ERROR' | 'DATA_ENTRY_ERROR';
}
export interface WorkOrderAccepted extends Base {
  kind: 'WorkOrderAccepted';
  orderId: string;
  staffId: string;
  type: WorkOrderType;
  customerClass: CustomerClass;
  dueAt?: number | null;
}
export interface WorkOrderCompleted extends Base {
  kind: 'WorkOrderCompleted';
  orderId: string;
  staffId: string;
  type: WorkOrderType;
  customerClass: CustomerClass;
  acceptedAt: number;
  dueAt?: number | null;
  reworked: boolean;
}
export interface RepairArrived extends Base {
  kind: 'RepairArrived';
  ticketId: string;
  crewStaffIds: readonly string[];
  areaClass: AreaClass;
  reportedAt: number;
}
export interface RepairRestored extends Base {
  kind: 'RepairRestored';
  ticketId: string;
  crewStaffIds: readonly string[];
  areaClass: AreaClass;
  reportedAt: number;
  arrivedAt: number;
}
export interface RepairFeedback extends Base {
  kind: 'RepairFeedback';
  ticketId: string;
  crewStaffIds: readonly string[];
  score: number;
}
export interface OutageNoticePublished extends Base {
  kind: 'OutageNoticePublished';
  noticeId: string;
  staffId: string;
  noticeType: NoticeType;
  outageStartsAt: number;
}
export interface ShiftAttended extends Base {
  kind: 'ShiftAttended';
  staffId: string;
  shiftId: string;
  scheduledMinutes: number;
  attendedMinutes: number;
  late: boolean;
}
export interface SupervisorRated extends Base {
  kind: 'SupervisorRated';
  staffId: string;
  raterId: string;
  score: number;
}
export interface FeedbackGiven extends Base {
  kind: 'FeedbackGiven';
  staffId: string;
  raterId: string;
  relation: 'SUPERVISOR' | 'PEER' | 'SUBORDINATE' | 'CUSTOMER';
  score: number;
}
export interface TrainingCompleted extends Base {
  kind: 'TrainingCompleted';
  staffId: string;
  courseId: string;
  skill: Skill;
  preScore: number;
  postScore: number;
}

export type AttributableEvent =
  | CallAnswered
  | CallAbandoned
  | ContactCompleted
  | SurveyAnswered
  | QualityInspected
  | CallbackAssigned
  | CallbackCompleted
  | ComplaintAgainstStaff
  | MeterReadingAssigned
  | MeterReadingCompleted
  | BillIssued
  | PaymentReceived
  | BillCorrected
  | WorkOrderAccepted
  | WorkOrderCompleted
  | RepairArrived
  | RepairRestored
  | RepairFeedback
  | OutageNoticePublished
  | ShiftAttended
  | SupervisorRated
  | FeedbackGiven
  | TrainingCompleted;

export type AttributableKind = AttributableEvent['kind'];
