// The static appraisal's settings when a rules version has no `static` section (or leaves a
// setting out): docs/static-appraisal.md "Settings". Kept out of DEFAULT_RULES on purpose, so the
// defaults rules' hash, and every appraisal id of a closed month, stays as it was.

import type { Role, Skill } from '../domain.ts';

export interface StaticSettings {
  expiringWithinDays: number;
  skillBelowScore: number;
  qualifications: Readonly<Record<string, { readonly skill: Skill }>>;
  requiredByRole: Readonly<Partial<Record<Role, readonly string[]>>>;
}

export const STATIC_DEFAULTS: StaticSettings = Object.freeze<StaticSettings>({
  expiringWithinDays: 60,
  skillBelowScore: 70,
  qualifications: Object.freeze<StaticSettings['qualifications']>({
    LV_ELECTRICIAN: { skill: 'SAFETY' },
    HV_ELECTRICIAN: { skill: 'SAFETY' },
    FIRST_AID: { skill: 'SAFETY' },
    METER_BILLING: { skill: 'BUSINESS_KNOWLEDGE' },
    CUSTOMER_SERVICE: { skill: 'SERVICE_ETIQUETTE' },
    BUSINESS_EXPANSION: { skill: 'BUSINESS_KNOWLEDGE' },
  }),
  requiredByRole: Object.freeze({
    HOTLINE_AGENT: ['CUSTOMER_SERVICE'],
    HALL_CLERK: ['CUSTOMER_SERVICE'],
    METER_READER: ['LV_ELECTRICIAN', 'METER_BILLING'],
    BILLING_CLERK: ['METER_BILLING'],
    REPAIR_CREW: ['FIRST_AID', 'HV_ELECTRICIAN', 'LV_ELECTRICIAN'],
    WORK_ORDER_CLERK: ['BUSINESS_EXPANSION'],
  }),
});

/** A rules version's static section with each absent setting taken from STATIC_DEFAULTS. */
export function staticSettings(section: Partial<StaticSettings> | undefined): StaticSettings {
  if (section === undefined) return STATIC_DEFAULTS;
  return {
    expiringWithinDays: section.expiringWithinDays ?? STATIC_DEFAULTS.expiringWithinDays,
    skillBelowScore: section.skillBelowScore ?? STATIC_DEFAULTS.skillBelowScore,
    qualifications: section.qualifications ?? STATIC_DEFAULTS.qualifications,
    requiredByRole: section.requiredByRole ?? STATIC_DEFAULTS.requiredByRole,
  };
}
