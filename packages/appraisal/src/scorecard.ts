// Types of the published records (interfaces.md: Scorecard JSON, Eligibility JSON).

import type { DimensionScores } from './dimensions.ts';
import type { Award, Grade, Role, ScorecardStatus, Skill, VetoReason } from './domain.ts';
import type { KpiMap } from './kpis.ts';
import type { PeriodRef } from './periods.ts';

export interface Scorecard {
  appraisalId: string;
  staffId: string;
  teamId: string;
  role: Role;
  period: PeriodRef;
  status: ScorecardStatus;
  revision: number;
  rulesVersion: string;
  kpis: KpiMap;
  dimensions: DimensionScores;
  composite: number | null;
  grade: Grade;
  /** null for an ungraded (INSUFFICIENT_DATA) member */
  teamRank: number | null;
  teamSize: number;
  computedAt: string;
}

export interface Eligibility {
  eligibilityId: string;
  appraisalId: string;
  staffId: string;
  teamId: string;
  period: PeriodRef;
  grade: Grade;
  eligible: boolean;
  /** null only for INSUFFICIENT_DATA without a veto when the rules leave it to payroll */
  bonusCoefficient: number | null;
  awards: Award[];
  vetoReasons: VetoReason[];
  trainingRecommendations: Skill[];
  improvementPlanRequired: boolean;
}
