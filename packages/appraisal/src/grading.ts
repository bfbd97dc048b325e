// Dimensions -> composite (role weights) -> grade letter (before team adjustments).

import { DIMENSIONS, type Grade, type Role } from './domain.ts';
import type { DimensionScores } from './dimensions.ts';
import { roundTo } from './numbers.ts';
import type { Rules } from './rules/schema.ts';

/**
 * Σ weight × dimension / Σ weight over non-null dimensions, rounded to the display decimals.
 * Null when fewer than `minDimensions` non-null dimensions carry a positive weight.
 */
export function compositeOf(dims: DimensionScores, role: Role, rules: Rules): number | null {
  const w = rules.roleWeights[role];
  let s = 0;
  let ws = 0;
  let n = 0;
  for (const d of DIMENSIONS) {
    const v = dims[d];
    const wd = w[d];
    if (v === null || !(wd > 0)) continue;
    s += wd * v;
    ws += wd;
    n++;
  }
  if (n < rules.scoring.minDimensions || ws <= 0) return null;
  return roundTo(s / ws, rules.scoring.decimals);
}

/** A ≥ 90, B ≥ 80, C ≥ 60, else D; no composite => INSUFFICIENT_DATA. Uses the shown composite. */
export function gradeOf(composite: number | null, rules: Rules): Grade {
  if (composite === null) return 'INSUFFICIENT_DATA';
  const g = rules.grades;
  if (composite >= g.A) return 'A';
  if (composite >= g.B) return 'B';
  if (composite >= g.C) return 'C';
  return 'D';
}
