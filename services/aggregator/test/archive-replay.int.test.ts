// Re-processing an archive (README "Time"): a month older than the lateness horizon is dead-lettered
// TOO_LATE on today's clock, and counted exactly when the aggregator's clock is set back to just
// after that month with CS_CLOCK_OFFSET_SECONDS, as an operator does.
import { afterAll, describe, expect, it } from 'vitest';
import { closeAtMs, DEFAULT_RULES, periodOf, previousPeriod } from '@cs/appraisal';
import type { SourceEvent } from '@cs/contracts';
import { createLogger, loadConfig, systemClock } from '@cs/runtime';
import { createSimulation, encodeItem } from '@cs/simulator';
import { Aggregator } from '../src/service.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';
import { codecs, diffAgainstTruth, drained, groundTruth, produce, readDeadLetters, sandbox, type Sandbox } from './support.ts';

const TZ = DEFAULT_RULES.timeZone;

describe('re-processing an archived month with the clock set back', () => {
  const sbs: Sandbox[] = [];
  afterAll(async () => Promise.all(sbs.map((s) => s.close())));

  it('TOO_LATE on the present clock; counted exactly as of a day after the month closed', async () => {
    // Four months before the test clock's month: well past the 62-day horizon.
    let month = periodOf('MONTH', TEST_CLOCK.clock.now(), TZ);
    for (let i = 0; i < 4; i++) month = previousPeriod(month);
    const sim = createSimulation({ seed: 5, teams: 2, staffPerTeam: 4, timeZone: TZ, startMs: month.startMs, endMs: month.startMs + 5 * 86_400_000 });
    const events: SourceEvent[] = [];
    const messages: ReturnType<typeof encodeItem>[] = [];
    for (const item of sim.items()) {
      messages.push(encodeItem(codecs, item));
      if (!('bytes' in item)) events.push(item.event as SourceEvent);
      if (events.length >= 300) break;
    }

    const run = async (offsetSeconds: number | undefined) => {
      const sb = await sandbox(2);
      sbs.push(sb);
      const env = { ...sb.env, CS_CLOCK_OFFSET_SECONDS: offsetSeconds === undefined ? sb.env.CS_CLOCK_OFFSET_SECONDS! : String(offsetSeconds) };
      await produce(sb, messages);
      const agg = new Aggregator({ config: loadConfig(env), rules: DEFAULT_RULES, log: createLogger('archive-test', 'silent') });
      await agg.start();
      try {
        await drained(sb);
      } finally {
        await agg.stop();
      }
      return sb;
    };

    const present = await run(undefined);
    const dead = await readDeadLetters(present, events.length);
    expect(new Set(dead.map((d) => d.code))).toEqual(new Set(['CS_TOO_LATE']));
    expect(await present.store.periodCounters(month.id)).toEqual(new Map());

    // As of a day after the month closed: every event counted once, none dead-lettered.
    const asOf = closeAtMs(month, DEFAULT_RULES) + 86_400_000;
    const replayed = await run(Math.round((asOf - systemClock.now()) / 1000));
    expect(await diffAgainstTruth(replayed, groundTruth(events))).toEqual([]);
  });
});
