// Operator overrides: deep-merge a parsed JSON object over the defaults and re-validate.
//
// Versioning (every scorecard carries rulesVersion, and a change of rules must change it):
// - an override MAY state its own `rulesVersion`; if the merged rules differ from the base in
//   anything else, that version must differ from the base's (else the override is refused);
// - an override that states none gets `<base version>+<first 12 hex of a hash of the canonical
//   merged rules>`, so equal effective rules give the same version wherever they are loaded;
// - an override that changes nothing keeps the base version.

import { CsError } from '@cs/contracts/errors';
import { hashString } from '../hasher.ts';
import { canonicalJson } from '../ids.ts';
import { rulesSchema, type Rules } from './schema.ts';
import type { z } from 'zod';

export class RulesError extends CsError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super('CS_RULES_INVALID', `invalid rules: ${issues.join('; ')}`, { retriable: false });
    this.issues = issues;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Plain objects merge key by key; arrays, scalars and null replace. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') {
      throw new RulesError([`${k}: forbidden key`]);
    }
    out[k] = k in base ? deepMerge(base[k], v) : v;
  }
  return out;
}

function formatIssue(issue: z.core.$ZodIssue): string[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${[...path, k].join('.')}: unknown setting`);
  }
  const message = issue.message.replace(/^Invalid input: /, '');
  return [`${path.length ? path.join('.') : '(root)'}: ${message}`];
}

/** Validates a complete rules object; throws RulesError naming every bad path. */
export function validateRules(candidate: unknown): Rules {
  const parsed = rulesSchema.safeParse(candidate);
  if (!parsed.success) throw new RulesError(parsed.error.issues.flatMap(formatIssue));
  return parsed.data;
}

export function mergeRules(base: Rules, override: unknown): Rules {
  if (!isPlainObject(override)) {
    throw new RulesError(['(root): expected a JSON object']);
  }
  const merged = validateRules(deepMerge(base, override));
  const { rulesVersion: baseVersion, ...baseRest } = base;
  const { rulesVersion: mergedVersion, ...mergedRest } = merged;
  const settings = canonicalJson(mergedRest);
  const changed = settings !== canonicalJson(baseRest);
  if ('rulesVersion' in override) {
    if (changed && mergedVersion === baseVersion) {
      throw new RulesError([
        `rulesVersion: must differ from "${baseVersion}" when the override changes settings`,
      ]);
    }
    return merged;
  }
  if (!changed) return { ...merged, rulesVersion: baseVersion };
  return { ...merged, rulesVersion: `${baseVersion}+${hashString(settings).slice(0, 12)}` };
}
