// Issue 16.2, rules in force, the aggregator's half: each event is attributed with the rules
// version in force on its local date, and each DAY/MONTH bucket notes the version(s) that wrote
// it (what the scorer compares with the version it scores the period with).
import { describe, expect, it } from 'vitest';
import { DAY_MS, DEFAULT_RULES, mergeRules, periodOf, previousPeriod, RulesBook } from '@cs/appraisal';
import { EVENT_FIXTURES } from '@cs/contracts/testing';
import { loadConfig } from '@cs/runtime';
import { batchApplier } from '../src/batch-job.ts';
import { codecs, sandbox } from './support.ts';
import { cleanupsAfterEach } from '../../../test/harness/index.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';

const cleanups = cleanupsAfterEach();
const TZ = DEFAULT_RULES.timeZone;
const now = TEST_CLOCK.clock.now();
const thisMonth = periodOf('MONTH', now, TZ);
const lastMonth = previousPeriod(thisMonth);
/** From this month on a survey counts as satisfied only at 5 (4 did before). */
const STRICT = mergeRules(DEFAULT_RULES, { rulesVersion: 'strict-surveys', effectiveFrom: thisMonth.start, thresholds: { surveySatisfiedMinScore: 5 } });

describe('aggregator: rules in force per event', () => {
  it("attributes each event with the version in force on its local day, and notes that version on the event's buckets", async () => {
    const sb = await sandbox(1);
    cleanups.push(sb.close);
    await sb.store.registerShard(0);
    const applier = batchApplier(sb.store, codecs, loadConfig(sb.env), RulesBook.withDefaults(DEFAULT_RULES, [STRICT]));
    cleanups.push(() => applier.close());
    const survey = (eventId: string, occurredAt: number) => codecs.encode('callcenter', { ...EVENT_FIXTURES.SurveyAnswered, eventId, occurredAt, score: 4 });
    const lastDay = lastMonth.endMs - DAY_MS / 2; // the last day of last month, midday
    const firstDay = thisMonth.startMs + DAY_MS / 2; // the first of this month, midday
    const result = await applier.run({ id: 1, topicKey: 'callcenter', topic: 'cc', partition: 0, firstOffset: 0, nextOffset: 2, now, values: [survey('before', lastDay), survey('after', firstDay)], deadLettered: [] });
    expect(result.kind).toBe('applied');

    const staff = EVENT_FIXTURES.SurveyAnswered.staffId;
    const before = (await sb.store.periodCounters(lastMonth.id)).get(staff)!;
    const after = (await sb.store.periodCounters(thisMonth.id)).get(staff)!;
    expect(before).toMatchObject({ surveys: 1, surveys_satisfied: 1 }); // 4 >= 4 (defaults)
    expect(after.surveys).toBe(1);
    expect(after.surveys_satisfied ?? 0).toBe(0); // 4 < 5 (this month's version)

    expect([...(await sb.store.periodRulesVersions(lastMonth.id))]).toEqual([DEFAULT_RULES.rulesVersion]);
    expect([...(await sb.store.periodRulesVersions(thisMonth.id))]).toEqual([STRICT.rulesVersion]);
    expect([...(await sb.store.periodRulesVersions(periodOf('DAY', lastDay, TZ).id))]).toEqual([DEFAULT_RULES.rulesVersion]);
    expect([...(await sb.store.periodRulesVersions(periodOf('DAY', firstDay, TZ).id))]).toEqual([STRICT.rulesVersion]);
  });
});
