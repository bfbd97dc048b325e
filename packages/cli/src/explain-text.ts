// The text of `cs-appraisal explain` from the engine's explanation (explainMember): rendering only,
// every number comes from the structure.
import type { AdjustmentStep, MemberExplanation } from '@cs/appraisal';
import { formatTable } from './table.ts';

const num = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined ? '-' : String(Number(x.toFixed(digits))));

function stepText(s: AdjustmentStep): string {
  const a = s.adjustment;
  const what = `${a.target} ${a.id} ${a.mode} ${a.amount}`;
  return s.skipped === null ? `${what}: ${num(s.before)} -> ${num(s.after)}` : `${what}: not applied (${s.skipped})`;
}

export function renderExplanation(x: MemberExplanation): string {
  const out: string[] = [];
  const p = x.period;
  out.push(`${x.staffId}  team ${x.teamId}  ${x.role}  ${p.kind} ${p.start}..${p.end} (${p.timeZone})  ${x.status} revision ${x.revision}  rules ${x.rulesVersion}`);
  out.push(`appraisalId ${x.appraisalId}`);

  out.push('', 'Input counters');
  const counters = Object.entries(x.counters);
  out.push(counters.length === 0 ? '  (none: no counted event in the period)' : formatTable(['COUNTER', 'VALUE'], counters.map(([k, v]) => [k, num(v)])).replace(/^/gm, '  '));

  out.push('', 'Corrections (in the order they apply)');
  if (x.corrections.length === 0) out.push('  (none)');
  const steps = [...x.adjustments];
  for (const r of x.corrections) {
    out.push(`  ${r.correctionId} ${r.kind} at ${new Date(r.at).toISOString()}, requested by ${r.requestedBy}, approved by ${r.approvedBy}: ${r.reason}`);
    out.push(`    ${r.detail}`);
    if (r.adjustment !== null) {
      // The trace lists the KPI adjustments first (they apply before the dimensions): match by content.
      const i = steps.findIndex((s) => s.adjustment.target === r.adjustment!.target && s.adjustment.id === r.adjustment!.id && s.adjustment.mode === r.adjustment!.mode && s.adjustment.amount === r.adjustment!.amount);
      if (i >= 0) out.push(`    ${stepText(steps.splice(i, 1)[0]!)}`);
    }
  }

  out.push('', 'KPIs (score = 100 × (value − floor) / (target − floor), clamped to 0..100; attendance less its late-shift deduction)');
  const kpiRows = x.kpis
    .filter((k) => k.value !== null || (k.denominator ?? 0) > 0 || k.unadjustedValue !== undefined)
    .map((k) => [
      k.id, k.dimension, `${num(k.numerator)}/${num(k.denominator)}`,
      k.unadjustedValue === undefined ? num(k.value) : `${num(k.value)} (adjusted from ${num(k.unadjustedValue)})`,
      `${k.better} ${num(k.floor)} -> ${num(k.target)}`, num(k.minSample), num(k.weight), k.value === null ? 'n/a (below min sample)' : num(k.score, 1),
    ]);
  out.push(kpiRows.length === 0 ? '  (no KPI has data)' : formatTable(['KPI', 'DIMENSION', 'NUM/DEN', 'VALUE', 'FLOOR -> TARGET', 'MIN', 'WEIGHT', 'SCORE'], kpiRows).replace(/^/gm, '  '));

  const w = x.workload;
  out.push('', 'Workload');
  out.push(
    w.score === null
      ? `  units ${num(w.units)}; no positive reference: workload not scored`
      : `  min(100, 100 × units ${num(w.units)} / (${num(w.referenceFactor)} × reference ${num(w.reference)})) = ${num(w.score, 1)}`,
  );

  out.push('', 'Dimensions (weighted mean of their KPI scores; role weight in the composite)');
  for (const d of x.dimensions) {
    let text: string;
    if (d.id === 'workload') text = `workload score ${num(d.unadjusted === undefined ? d.score : d.unadjusted, 1)}`;
    else if (d.kpis.length === 0) text = 'no scored KPI';
    else {
      const ws = d.kpis.reduce((s, k) => s + k.weight, 0);
      text = `(${d.kpis.map((k) => `${num(k.weight)} × ${num(k.score, 1)} ${k.id}`).join(' + ')}) / ${num(ws)}`;
      if (d.penalty !== undefined && d.penalty > 0) text += ` − penalty ${num(d.penalty)} (general complaints substantiated)`;
    }
    if (d.unadjusted !== undefined) text += ` = ${num(d.unadjusted, 1)}, adjusted`;
    out.push(`  ${d.id.padEnd(16)} ${num(d.score, 1).padStart(6)}  [weight ${num(d.roleWeight)}]  ${text}`);
  }

  const c = x.composite;
  out.push('', 'Composite');
  out.push(
    c.value === null
      ? `  not graded: ${c.counted} weighted dimension(s) with a score, at least ${c.minDimensions} needed`
      : `  Σ weight × dimension / Σ weight = ${num(c.weightedSum, 4)} / ${num(c.weightSum)} = ${num(c.value, 1)} (${c.counted} dimensions counted, at least ${c.minDimensions} needed)`,
  );

  const g = x.grade;
  out.push('', 'Grade');
  out.push(`  thresholds A ≥ ${num(g.thresholds.A)}, B ≥ ${num(g.thresholds.B)}, C ≥ ${num(g.thresholds.C)}, else D: ${g.beforeQuota} before the team's quota`);

  const r = x.ranking;
  out.push('', 'Team ranking and forced distribution');
  if (r.teamRank === null) out.push(`  not ranked (not graded); ${r.teamSize} graded members in team ${x.teamId}`);
  else out.push(`  rank ${r.teamRank} of ${r.teamSize} graded members of team ${x.teamId}`);
  if (!r.applies) out.push(`  no A quota for ${p.kind} ${x.status} (MONTH FINAL/REVISED only)`);
  else out.push(`  A quota ${r.aQuota}; ${r.aAbove} A grade(s) ranked above; ${r.capped ? `A capped to ${g.final}` : `not capped`}: grade ${g.final}`);

  out.push('', 'Eligibility');
  const e = x.eligibility;
  if (e === null) out.push(`  none for ${p.kind} ${x.status} (MONTH FINAL/REVISED only)`);
  else {
    out.push(`  coefficient ${num(e.bonusCoefficient)}; eligible ${e.eligible ? 'yes' : 'no'}; awards ${e.awards.join(', ') || 'none'}; veto ${e.vetoReasons.join(', ') || 'none'}`);
    if (e.trainingRecommendations.length > 0) out.push(`  training ${e.trainingRecommendations.join(', ')}`);
    if (e.improvementPlanRequired) out.push('  improvement plan required');
  }
  const s = x.staticProfile;
  if (s !== null) out.push('', ...staticProfileLines(s));
  return out.join('\n');
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The static profile (docs/static-appraisal.md), as of the period's end. */
function staticProfileLines(s: NonNullable<MemberExplanation['staticProfile']>): string[] {
  const out = [`Static profile (as of ${new Date(s.asOf).toISOString()}, the period's end)`];
  out.push(s.skills.length === 0 ? '  skills: none assessed' : `  skills: ${s.skills.map((k) => `${k.skill} ${num(k.score, 1)} (${day(k.assessedAt)})`).join(', ')}`);
  out.push(s.qualifications.length === 0 ? '  qualifications held: none' : `  qualifications held: ${s.qualifications.map((q) => `${q.qualificationId} (${q.expiresAt === null ? 'no expiry' : `expires ${day(q.expiresAt)}`})`).join(', ')}`);
  out.push(`  missing for the role: ${s.missing.join(', ') || 'none'}`);
  out.push(`  expiring: ${s.expiring.map((e) => `${e.qualificationId} in ${e.daysLeft} days (${day(e.expiresAt)})`).join(', ') || 'none'}`);
  out.push(`  skills below the threshold: ${s.belowScore.join(', ') || 'none'}`);
  return out;
}
