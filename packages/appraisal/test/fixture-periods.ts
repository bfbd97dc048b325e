// The zone and the periods the engine's unit tests score in, named once for every test file.
import { parsePeriodId } from '../src/index.ts';

export const SH = 'Asia/Shanghai';
export const SEP = parsePeriodId('MONTH:2026-09', SH);
export const OCT = parsePeriodId('MONTH:2026-10', SH);
/** DAY:2026-10-05, a day of OCT. */
export const DAY = parsePeriodId('DAY:2026-10-05', SH);
