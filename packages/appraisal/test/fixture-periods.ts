// The zone and the periods the engine's unit tests score in, named once for every test file.
import { parsePeriodId } from '../src/index.ts';

export const SH = 'Asia/Shanghai';
export const SEP = parsePeriodId('MONTH:2026-09', SH);
export const OCT = parsePeriodId('MONTH:2026-10', SH);
/** DAY:2026-10-05, a day of OCT. */
export const DAY = parsePeriodId('DAY:2026-10-05', SH);
/** A leap-year February (29 days) and the March after it, for month-boundary tests. */
export const FEB_LEAP = parsePeriodId('MONTH:2028-02', SH);
export const MAR_AFTER_LEAP = parsePeriodId('MONTH:2028-03', SH);
