// A card's static profile as HTML (docs/static-appraisal.md): skills with their latest score,
// qualifications held with their expiry, those the role misses or that expire soon, and the skills
// below the threshold. Every value escaped by html.ts; dates in the console's zone (`time`).
import type { Scorecard } from '@cs/contracts';
import { esc, num, table } from './html.ts';
import { fill, type Labels } from './labels.ts';

export type CardStaticProfile = NonNullable<Scorecard['staticProfile']>;

export function staticProfileSection(s: CardStaticProfile | null | undefined, t: Labels, time: (ms: number) => string): string {
  if (!s) return `<p>${esc(t.staticNone)}</p>`;
  const skills = s.skills.length
    ? table(t.skill, [t.skill, t.score, t.assessedAt], s.skills.map((k) => [k.skill, num(k.score, 1), time(k.assessedAt)]))
    : `<p>${esc(t.skill)}: ${esc(t.none)}</p>`;
  const held = s.qualifications.length
    ? table(t.qualification, [t.qualification, t.expires], s.qualifications.map((q) => [q.qualificationId, q.expiresAt === null ? t.noExpiry : time(q.expiresAt)]))
    : `<p>${esc(t.qualification)}: ${esc(t.none)}</p>`;
  const expiring = s.expiring.map((e) => fill(t.daysLeft, { id: e.qualificationId, days: String(e.daysLeft) })).join(', ');
  return `<p>${esc(fill(t.staticAsOf, { asOf: time(s.asOf) }))}</p>
${skills}
${held}
<dl class="summary">
<dt>${esc(t.missingForRole)}</dt><dd data-field="missing">${esc(s.missing.join(', ') || t.none)}</dd>
<dt>${esc(t.expiringSoon)}</dt><dd data-field="expiring">${esc(expiring || t.none)}</dd>
<dt>${esc(t.belowThreshold)}</dt><dd data-field="belowScore">${esc(s.belowScore.join(', ') || t.none)}</dd></dl>`;
}
