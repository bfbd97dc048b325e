// The text of `rescore`: a what-if diff for people (the JSON is the diff itself).
import { WHAT_IF_GRADES, type Grade, type WhatIfDiff } from '@cs/appraisal';
import { formatTable, num } from './table.ts';

const GRADE_LABEL: Record<Grade, string> = { A: 'A', B: 'B', C: 'C', D: 'D', INSUFFICIENT_DATA: 'n/a' };

export function renderWhatIf(periodId: string, rulesFile: string, d: WhatIfDiff, publishing = false): string {
  const out: string[] = [];
  out.push(`What-if ${periodId}: ${d.staff} staff scored under ${d.currentRules} (current) and ${d.proposedRules} (${rulesFile}); ${publishing ? 'adopting the proposal' : 'nothing published'}`);
  out.push('');
  out.push('Grades per team (current -> proposed)');
  const cell = (a: number, b: number) => (a === b ? String(a) : `${a}->${b}`);
  out.push(
    formatTable(
      ['team', 'staff', ...WHAT_IF_GRADES.map((g) => GRADE_LABEL[g]), 'moved'],
      d.teams.map((t) => [t.teamId, String(t.staff), ...WHAT_IF_GRADES.map((g) => cell(t.current[g], t.proposed[g])), String(t.moved.length)]),
    ),
  );
  out.push('');
  const moves = d.teams.flatMap((t) => t.moved.map((m) => ({ ...m, teamId: t.teamId })));
  out.push(moves.length ? `Grade moves (${moves.length})` : 'Grade moves: none');
  for (const m of moves) out.push(`  ${m.staffId}  ${m.teamId}  ${GRADE_LABEL[m.from]} -> ${GRADE_LABEL[m.to]}  composite ${num(m.compositeFrom)} -> ${num(m.compositeTo)}`);
  for (const [title, changes] of [['Awards', d.awards], ['Vetoes', d.vetoes]] as const) {
    out.push(changes.gained.length + changes.lost.length ? `${title}: ${changes.gained.length} gained, ${changes.lost.length} lost` : `${title}: no change`);
    for (const c of changes.gained) out.push(`  + ${c.id}  ${c.staffId}`);
    for (const c of changes.lost) out.push(`  - ${c.id}  ${c.staffId}`);
  }
  const c = d.coefficients;
  out.push(c.changed.length ? `Bonus coefficients: ${c.changed.length} changed` : 'Bonus coefficients: no change');
  for (const x of c.changed) out.push(`  ${x.staffId}  ${x.from.toFixed(2)} -> ${x.to.toFixed(2)}`);
  out.push('');
  out.push(`Eligible: ${d.eligible.current} -> ${d.eligible.proposed}`);
  const sign = c.delta > 0 ? '+' : '';
  out.push(`Σ bonus coefficient: ${c.currentTotal.toFixed(2)} -> ${c.proposedTotal.toFixed(2)} (${sign}${c.delta.toFixed(2)})`);
  return out.join('\n');
}

/** The line `rescore --publish` ends with. */
export function adoptedText(periodId: string, p: { correctionId: string; rulesVersion: string }): string {
  return `Published ${p.correctionId}: rules ${p.rulesVersion} adopted for ${periodId}; the scorer re-scores it and publishes REVISED cards listing the reason`;
}
