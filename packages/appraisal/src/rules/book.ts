// The rules versions an installation has, each in force from its effectiveFrom (a first of the
// month) until the next one's: which version scores a period, attributes an event, or re-scores a
// closed period (by the version it was FINALed under). Pure.

import type { Period } from '../periods.ts';
import { RulesError } from './merge.ts';
import type { Rules } from './schema.ts';

export class RulesBook {
  /** Sorted by effectiveFrom, oldest first. */
  readonly versions: readonly Rules[];
  private readonly byId: ReadonlyMap<string, Rules>;

  constructor(versions: readonly Rules[]) {
    if (versions.length === 0) throw new RulesError(['(rules book): needs at least one rules version']);
    const sorted = [...versions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
    const issues: string[] = [];
    const byId = new Map<string, Rules>();
    for (let i = 0; i < sorted.length; i++) {
      const r = sorted[i]!;
      if (byId.has(r.rulesVersion)) issues.push(`rulesVersion: "${r.rulesVersion}" is stated by more than one version`);
      byId.set(r.rulesVersion, r);
      const prev = sorted[i - 1];
      if (prev && prev.effectiveFrom === r.effectiveFrom) {
        issues.push(`effectiveFrom: ${r.effectiveFrom} is stated by versions "${prev.rulesVersion}" and "${r.rulesVersion}"`);
      }
      // Buckets and deadlines are cut in one zone; a version in another would move period edges.
      if (r.timeZone !== sorted[0]!.timeZone) issues.push(`timeZone: version "${r.rulesVersion}" has ${r.timeZone}, not ${sorted[0]!.timeZone} like the others`);
    }
    if (issues.length) throw new RulesError(issues);
    this.versions = sorted;
    this.byId = byId;
  }

  /** A book of one version (tests, tools), or the book itself. */
  static of(rules: Rules | RulesBook): RulesBook {
    return rules instanceof RulesBook ? rules : new RulesBook([rules]);
  }

  /**
   * The operator's versions, with the built-in defaults in force before the earliest of them (a
   * version effective on or before the defaults' date replaces them, as a single rules file did).
   */
  static withDefaults(defaults: Rules, operator: readonly Rules[]): RulesBook {
    const earliest = operator.reduce<string | undefined>((m, r) => (m === undefined || r.effectiveFrom < m ? r.effectiveFrom : m), undefined);
    const keepDefaults = earliest === undefined || earliest > defaults.effectiveFrom;
    return new RulesBook(keepDefaults ? [defaults, ...operator] : operator);
  }

  /** The version in force on a local date 'YYYY-MM-DD' (before the first version: the first). */
  at(localDate: string): Rules {
    const v = this.versions;
    if (v.length === 1) return v[0]!;
    let found = v[0]!;
    for (let i = 1; i < v.length && v[i]!.effectiveFrom <= localDate; i++) found = v[i]!;
    return found;
  }

  /** The version a period is scored with: the one in force on its first day (versions start on a first of the month). */
  inForce(period: Pick<Period, 'start'>): Rules {
    return this.at(period.start);
  }

  /** The version in force in a local month 'YYYY-MM' (versions start on a first of the month). */
  atMonth(month: string): Rules {
    return this.versions.length === 1 ? this.versions[0]! : this.at(`${month}-01`);
  }

  byVersion(rulesVersion: string): Rules | undefined {
    return this.byId.get(rulesVersion);
  }

  /**
   * The version a period is scored with: rules adopted for it (a RULES_ADOPTED correction of the
   * closed period, `adoptedRules`; the one explicit way its rules change), else the one it was
   * FINALed under once it has one (a later rules change never alters a closed period by itself),
   * else the one in force for it. `rules` is undefined when that version is no longer in the
   * book: the caller refuses to score.
   */
  forScoring(period: Pick<Period, 'start'>, finalVersion: string | undefined, adopted?: Rules): { rulesVersion: string; rules: Rules | undefined; adopted: boolean } {
    if (adopted !== undefined) return { rulesVersion: adopted.rulesVersion, rules: adopted, adopted: true };
    const rulesVersion = finalVersion ?? this.inForce(period).rulesVersion;
    return { rulesVersion, rules: this.byVersion(rulesVersion), adopted: false };
  }

  /** The newest version (what applies from its date on). */
  get latest(): Rules {
    return this.versions[this.versions.length - 1]!;
  }
}
