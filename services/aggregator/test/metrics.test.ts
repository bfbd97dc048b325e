import { describe, expect, it } from 'vitest';
import { createAggregatorMetrics } from '../src/metrics.ts';

const answered = (queue: string) => ({ measure: 'call_answered' as const, queue, waitSeconds: 5, withinThreshold: true });

describe('aggregator metrics: queue labels', () => {
  it('gives the configured queues their own label whatever came first; any other queue is `other`', async () => {
    const m = createAggregatorMetrics(['95598-general', 'online']);
    // Junk queues arrive first (hostile or broken input): they must not take the labels.
    for (let i = 0; i < 150; i++) m.observeSla(answered(`junk-${i}`));
    m.observeSla(answered('95598-general'), 3);
    m.observeSla({ measure: 'call_abandoned', queue: 'online', waitSeconds: 40, withinThreshold: false });
    const answeredText = await m.registry.getSingleMetricAsString('cs_calls_answered_total');
    expect(answeredText).toMatch(/^cs_calls_answered_total\{queue="95598-general"\} 3$/m);
    expect(answeredText).toMatch(/^cs_calls_answered_total\{queue="other"\} 150$/m);
    expect(answeredText).not.toMatch(/junk/);
    expect(await m.registry.getSingleMetricAsString('cs_calls_abandoned_total')).toMatch(/^cs_calls_abandoned_total\{queue="online"\} 1$/m);
  });
});
