// The published records (interfaces.md: Scorecard JSON, Eligibility JSON) are the types generated
// from their Avro schemas; a type-only import keeps this package free of the codecs' I/O.
import type { Reason, Scorecard as PublishedScorecard } from '@cs/contracts';
import type { StaticProfile } from './static-profile.ts';
import type { Trend } from './trend.ts';
export type { Eligibility, Reason } from '@cs/contracts';

/**
 * A scorecard as the engine makes it: `reasons` (appraisal v3) only on the cards of members with
 * corrections, so a card without any is the object it was before v3 (Avro writes the default []);
 * `trend` (v6) on MONTH cards only (Avro writes null on the others); `staticProfile` (v7) where the
 * caller computed one (docs/static-appraisal.md; Avro writes null on the others).
 */
export type Scorecard = Omit<PublishedScorecard, 'reasons' | 'trend' | 'staticProfile'> & { reasons?: Reason[]; trend?: Trend; staticProfile?: StaticProfile };
