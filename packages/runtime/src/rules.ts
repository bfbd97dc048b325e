import { readFileSync } from 'node:fs';
import { DEFAULT_RULES, mergeRules, type Rules } from '@cs/appraisal';
import type { ServiceConfig } from './config.ts';

/**
 * The rules a service runs with: the defaults, the operator's CS_RULES_FILE merged over them, and
 * the zone of CS_TIMEZONE (one zone for buckets and deadlines). A changed rule changes rulesVersion.
 */
export function loadRules(config: ServiceConfig): Rules {
  let override: Record<string, unknown> = {};
  if (config.CS_RULES_FILE) {
    try {
      override = JSON.parse(readFileSync(config.CS_RULES_FILE, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`invalid setting CS_RULES_FILE: cannot read ${config.CS_RULES_FILE} as JSON (${(err as Error).message})`);
    }
  }
  if (config.CS_TIMEZONE !== DEFAULT_RULES.timeZone || override.timeZone !== undefined) override = { ...override, timeZone: config.CS_TIMEZONE };
  return Object.keys(override).length ? mergeRules(DEFAULT_RULES, override) : DEFAULT_RULES;
}
