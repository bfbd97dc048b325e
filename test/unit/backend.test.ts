import { describe, expect, it } from 'vitest';
import { selectBackend, topicPlan } from '@cs/stack';

const never = () => {
  throw new Error('docker must not be probed');
};

describe('test backend selection', () => {
  it('reuses a running stack when KAFKA_BROKERS and REDIS_URL are set, without probing Docker', () => {
    expect(selectBackend({ env: { KAFKA_BROKERS: 'h:1', REDIS_URL: 'redis://h' }, dockerEngineAnswers: never })).toBe('external');
  });
  it('uses testcontainers where a Docker engine answers', () => {
    expect(selectBackend({ env: {}, dockerEngineAnswers: () => true })).toBe('testcontainers');
  });
  it('falls back to local processes without a Docker engine (this machine)', () => {
    expect(selectBackend({ env: { KAFKA_BROKERS: 'h:1' }, dockerEngineAnswers: () => false })).toBe('local-process');
  });
  it('obeys CS_TEST_BACKEND and refuses a bad value', () => {
    expect(selectBackend({ env: { CS_TEST_BACKEND: 'local-process', KAFKA_BROKERS: 'h:1', REDIS_URL: 'redis://h' }, dockerEngineAnswers: never })).toBe('local-process');
    expect(() => selectBackend({ env: { CS_TEST_BACKEND: 'vm' }, dockerEngineAnswers: never })).toThrow(/CS_TEST_BACKEND/);
  });
});

describe('topic plan', () => {
  it('has every topic of events.md, 6 source partitions by default, the roster and the outputs compacted', () => {
    const plan = topicPlan();
    expect(plan.map((t) => t.topic).sort()).toEqual(
      ['cs.appraisal.v1', 'cs.billing.v1', 'cs.callcenter.v1', 'cs.corrections.v1', 'cs.dlq.v1', 'cs.incentive-eligibility.v1', 'cs.outage-repair.v1', 'cs.staff-roster.v1', 'cs.team-scorecard.v1', 'cs.workforce.v1'].sort(),
    );
    expect(plan.find((t) => t.topic === 'cs.billing.v1')?.numPartitions).toBe(6);
    expect(plan.find((t) => t.topic === 'cs.staff-roster.v1')?.configEntries).toContainEqual({ name: 'cleanup.policy', value: 'compact' });
    // Kept for payroll (#16): the outputs compacted (key staffId|periodId), the others on time retention.
    for (const t of ['cs.appraisal.v1', 'cs.incentive-eligibility.v1', 'cs.team-scorecard.v1']) expect(plan.find((p) => p.topic === t)?.configEntries).toContainEqual({ name: 'cleanup.policy', value: 'compact' });
    for (const t of ['cs.billing.v1', 'cs.dlq.v1']) expect(plan.find((p) => p.topic === t)?.configEntries).toBeUndefined();
    // Corrections are keyed by their target's eventId: partitioned like the sources.
    expect(plan.find((t) => t.topic === 'cs.corrections.v1')?.numPartitions).toBe(6);
    expect(topicPlan({ sourcePartitions: 12 }).find((t) => t.topic === 'cs.workforce.v1')?.numPartitions).toBe(12);
  });
});
