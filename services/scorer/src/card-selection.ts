// Which scored cards of a period to publish, and what to record for them (pure).
import { eligibility, type Eligibility, type RosterEntry, type Rules, type Scorecard } from '@cs/appraisal';
import { publishedOf, type Published } from './model.ts';

/** PROVISIONAL: the cards whose content changed since last published, and the pairs (staffId, Published JSON) to record. */
export function changedProvisionals(cards: readonly Scorecard[], published: ReadonlyMap<string, Published>): { cards: Scorecard[]; record: string[] } {
  const out: Scorecard[] = [];
  const record: string[] = [];
  for (const c of cards) {
    const p = publishedOf(c);
    if (published.get(c.staffId)?.h === p.h) continue;
    out.push(c);
    record.push(c.staffId, JSON.stringify(p));
  }
  return { cards: out, record };
}

/**
 * REVISED: revision n+1 of a member's FINAL. A member who joined the roster after the period was
 * finalized has no FINAL to revise: their first card of a closed period is FINAL revision 0
 * (payroll expects exactly one FINAL per staff-period, then REVISED ones).
 */
export function revisionsOf(roster: readonly RosterEntry[], published: ReadonlyMap<string, Published>): { revision: Map<string, number>; memberStatus: Map<string, 'FINAL'> } {
  const revision = new Map<string, number>();
  const memberStatus = new Map<string, 'FINAL'>();
  for (const r of roster) {
    const p = published.get(r.staffId);
    if (p && p.status !== 'PROVISIONAL') revision.set(r.staffId, p.revision + 1);
    else memberStatus.set(r.staffId, 'FINAL');
  }
  return { revision, memberStatus };
}

/** FINAL: every card. REVISED: the cards whose content differs from the FINAL/REVISED they would replace. */
export function finalsToPublish(cards: readonly Scorecard[], published: ReadonlyMap<string, Published>, status: 'FINAL' | 'REVISED'): { cards: Scorecard[]; published: Published[] } {
  const out: Scorecard[] = [];
  const pubs: Published[] = [];
  for (const c of cards) {
    const p = publishedOf(c);
    const before = published.get(c.staffId);
    if (status === 'REVISED' && before && before.status !== 'PROVISIONAL' && before.h === p.h) continue;
    out.push(c);
    pubs.push(p);
  }
  return { cards: out, published: pubs };
}

/** MONTH eligibility of the members whose card is published (computed over the whole population). */
export function eligibilityToPublish(
  all: readonly Scorecard[],
  publishing: readonly Scorecard[],
  counters: Parameters<typeof eligibility>[1],
  previousFinals: Parameters<typeof eligibility>[2],
  rules: Rules,
): Map<string, Eligibility> {
  const out = new Map<string, Eligibility>();
  const publish = new Set(publishing.map((c) => c.staffId));
  for (const e of eligibility(all, counters, previousFinals, rules)) if (publish.has(e.staffId)) out.set(e.staffId, e);
  return out;
}
