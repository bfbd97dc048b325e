// A scorecard's numbers in one fixed order, for hashing its content (the scorer's change detection).

import { DIMENSIONS, REPORTED_MEASURE_IDS, SCORED_KPI_IDS } from './domain.ts';
import type { Scorecard } from './scorecard.ts';
import { checkLayout, compileFunction, identifier } from './unrolled.ts';

const KPI_IDS = [...SCORED_KPI_IDS, ...REPORTED_MEASURE_IDS];
const CARD_FIELDS = ['composite', 'teamRank', 'teamSize'] as const;

/** The card's numbers in cardNumbers' order, as expressions over `card` (straight-line code, unrolled.ts). */
const SLOTS = [
  ...KPI_IDS.flatMap((id) => ['value', 'numerator', 'denominator', 'score'].map((f) => `card.kpis.${identifier(id)}.${f}`)),
  ...DIMENSIONS.map((d) => `card.dimensions.${identifier(d)}`),
  ...CARD_FIELDS.map((f) => `card.${f}`),
];

/** How many numbers cardNumbers writes. */
export const CARD_NUMBERS = SLOTS.length;

/**
 * Writes into out[0 .. CARD_NUMBERS): value, numerator, denominator and score of every KPI and
 * reported measure (SCORED_KPI_IDS then REPORTED_MEASURE_IDS order), the dimensions (DIMENSIONS
 * order), composite, teamRank and teamSize; null as NaN (no card number is NaN), -0 as 0.
 */
export const cardNumbers = compileFunction<(card: Pick<Scorecard, 'kpis' | 'dimensions' | 'composite' | 'teamRank' | 'teamSize'>, out: Float64Array) => void>(
  'cardNumbers',
  ['card', 'out'],
  SLOTS.map((e, i) => `out[${i}] = num(${e});`).join('\n'),
  { num },
);

function num(v: number | null): number {
  return v === null ? NaN : v === 0 ? 0 : v;
}

// The layout check: a card whose every number is its own slot index must come out as 0, 1, 2, ...
{
  let slot = 0;
  const next = () => slot++;
  const kpis = Object.fromEntries(KPI_IDS.map((id) => [id, { value: next(), numerator: next(), denominator: next(), score: next() }]));
  const dimensions = Object.fromEntries(DIMENSIONS.map((d) => [d, next()]));
  const probe = { kpis, dimensions, composite: next(), teamRank: next(), teamSize: next() } as unknown as Scorecard;
  const out = new Float64Array(CARD_NUMBERS);
  cardNumbers(probe, out);
  checkLayout('cardNumbers', Array.from(out, String), Array.from({ length: slot }, (_, i) => String(i)));
}
