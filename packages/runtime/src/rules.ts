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
  let override = readRulesJson(file, 'invalid setting CS_RULES_FILE');
  if (timeZone !== DEFAULT_RULES.timeZone || 'timeZone' in override) override = { ...override, timeZone };
  return mergeNaming(DEFAULT_RULES, override, `CS_RULES_FILE ${file}`);
}

/**
 * Proposed rules for a what-if (`rescore --rules FILE`, docs/what-if.md): the file's settings
 * merged over the rules the period is scored with, in their zone. Without a rulesVersion of its
 * own the result is named `<base>+<suffix>` (`+what-if`; a published adoption `+<correctionId>`),
 * so the two never read alike.
 */
export function loadProposedRules(file: string, base: Rules, suffix = 'what-if'): Rules {
  const override = readRulesJson(file, 'invalid --rules');
  return mergeNaming(base, { rulesVersion: `${base.rulesVersion}+${suffix}`, ...override, timeZone: base.timeZone }, `--rules ${file}`);
}

function readRulesJson(file: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${what}: cannot read ${file} as JSON (${(err as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what}: ${file} holds no JSON object of rules settings`);
  return v as Record<string, unknown>;
}

function mergeNaming(base: Rules, override: Record<string, unknown>, source: string): Rules {
  try {
    return mergeRules(base, override);
  } catch (err) {
    if (err instanceof RulesError) throw new RulesError(err.issues.map((i) => `${i} (${source})`));
    throw err;
  }
}

/** The defaults in the configured zone (their version unchanged when the zone is theirs). */
function withZone(rules: Rules, timeZone: string): Rules {
  return timeZone === rules.timeZone ? rules : mergeRules(rules, { timeZone });
}
