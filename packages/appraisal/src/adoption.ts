// Rules adopted for a closed period (issue #17 item 4, docs/what-if.md "Publishing"): a
// RULES_ADOPTED correction carries a complete rules object; the period is scored with the latest
// adoption from then on (by time, then correctionId, as notes apply), and every adoption stays
// listed on the cards as a reason. Pure.
import { orderNotes, PERIOD_WIDE, type CorrectionNote } from './corrections.ts';
import { validateRules } from './rules/merge.ts';
import type { Rules } from './rules/schema.ts';

/** The rules a RULES_ADOPTED note carries, validated (throws RulesError when the model refuses them). */
export function rulesOfAdoption(rulesJson: string): Rules {
  return validateRules(JSON.parse(rulesJson));
}

/** The latest adoption among a period's notes, or undefined when it has none. */
export function adoptedRules(corrections: ReadonlyMap<string, readonly CorrectionNote[]> | undefined): Rules | undefined {
  const adoptions = (corrections?.get(PERIOD_WIDE) ?? []).filter((n) => n.kind === 'RULES_ADOPTED' && n.rules !== undefined);
  const latest = orderNotes([...adoptions]).at(-1);
  return latest === undefined ? undefined : rulesOfAdoption(latest.rules!);
}

/** What the card's reason says an adoption did. */
export function adoptionDetail(adopted: Pick<Rules, 'rulesVersion'>, inForce: string): string {
  return `rules ${adopted.rulesVersion} adopted for the period (the version in force for it: ${inForce})`;
}
