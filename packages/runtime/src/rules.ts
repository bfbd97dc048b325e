import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RULES, mergeRules, RulesBook, RulesError, type Rules } from '@cs/appraisal';
import type { ServiceConfig } from './config.ts';

/**
 * The rules versions a service runs with (README "Rules in force"). CS_RULES_FILE names one JSON
 * file or a directory whose *.json files are the versions; each is merged over the defaults and
 * validated, with the zone of CS_TIMEZONE (one zone for buckets and deadlines). The defaults stay
 * in force before the earliest operator version. Every refusal names the setting and the file.
 */
export function loadRules(config: Pick<ServiceConfig, 'CS_RULES_FILE' | 'CS_TIMEZONE'>): RulesBook {
  const files = config.CS_RULES_FILE ? rulesFiles(config.CS_RULES_FILE) : [];
  const versions = files.map((file) => loadVersion(file, config.CS_TIMEZONE));
  try {
    return RulesBook.withDefaults(withZone(DEFAULT_RULES, config.CS_TIMEZONE), versions);
  } catch (err) {
    if (err instanceof RulesError) throw new RulesError(err.issues.map((i) => `${i} (CS_RULES_FILE ${config.CS_RULES_FILE})`));
    throw err;
  }
}

function rulesFiles(path: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw new Error(`invalid setting CS_RULES_FILE: cannot read ${path} (${(err as Error).message})`);
  }
  if (!isDir) return [path];
  const files = readdirSync(path).filter((f) => f.endsWith('.json')).sort().map((f) => join(path, f));
  if (files.length === 0) throw new Error(`invalid setting CS_RULES_FILE: directory ${path} holds no *.json rules version`);
  return files;
}

function loadVersion(file: string, timeZone: string): Rules {
  let override: Record<string, unknown>;
  try {
    override = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`invalid setting CS_RULES_FILE: cannot read ${file} as JSON (${(err as Error).message})`);
  }
  if (timeZone !== DEFAULT_RULES.timeZone || (typeof override === 'object' && override !== null && 'timeZone' in override)) override = { ...override, timeZone };
  try {
    return mergeRules(DEFAULT_RULES, override);
  } catch (err) {
    if (err instanceof RulesError) throw new RulesError(err.issues.map((i) => `${i} (CS_RULES_FILE ${file})`));
    throw err;
  }
}

/** The defaults in the configured zone (their version unchanged when the zone is theirs). */
function withZone(rules: Rules, timeZone: string): Rules {
  return timeZone === rules.timeZone ? rules : mergeRules(rules, { timeZone });
}
