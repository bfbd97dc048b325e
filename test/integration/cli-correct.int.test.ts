// `cs-appraisal correct …` through the bin against the shared real broker: a good correction is
// published keyed by its target and prints its id; bad input is refused with a clear message
// (exit 2) and nothing reaches the topic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodecs, type Correction } from '@cs/contracts';
import { createTopics, kafkaFor, testStack, topicOffsets } from '../harness/index.ts';
import { runCli } from '../harness/cli.ts';

const codecs = createCodecs();
let topic: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(['correct', ...args], env, undefined, 90_000);
const who = ['--reason', 'appeal reviewed by HR', '--requested-by', 'SUP-1', '--approved-by', 'HR-1'];

async function messages(): Promise<{ key: string; value: Correction }[]> {
  const admin = kafkaFor().admin();
  await admin.connect();
  const offsets = await topicOffsets(admin, topic);
  await admin.disconnect();
  const out: { key: string; value: Correction }[] = [];
  const total = offsets.reduce((n, o) => n + Number(o.high), 0);
  if (total === 0) return out;
  const consumer = kafkaFor().consumer({ groupId: `${topic}-reader-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        const r = codecs.decode('corrections', message.value!);
        if (r.ok) out.push({ key: message.key!.toString(), value: r.event });
        if (out.length >= total) resolve();
      },
    });
  });
  await consumer.disconnect();
  return out;
}

describe('cs-appraisal correct', () => {
  beforeAll(async () => {
    [topic] = (await createTopics(['corr'], 3)) as [string];
    env = { KAFKA_BROKERS: testStack().brokers, CS_TOPIC_CORRECTIONS: topic };
  });
  afterAll(() => undefined);

  it('refuses bad input with a message naming the option, publishing nothing', async () => {
    const bad: [string[], RegExp][] = [
      [['complaint', '--event-id', 'E-1', '--period', 'MONTH:2026-10', '--staff', 'S1', ...who], /needs --ruling/],
      [['complaint', '--event-id', 'E-1', '--period', 'MONTH:2026-10', '--staff', 'S1', '--ruling', 'MAYBE', ...who], /--ruling: must be UPHELD or OVERTURNED/],
      [['void', '--event-id', 'E-1', '--period', 'DAY:2026-10-05', '--staff', 'S1', ...who], /--period: must be the month the target counted in/],
      [['void', '--event-id', 'E-1', '--period', 'MONTH:2026-10', '--staff', 'S1', '--reason', 'x', '--requested-by', 'SUP-1', '--approved-by', 'SUP-1'], /--approved-by: must differ from requestedBy/],
      [['adjust', '--staff', 'S1', '--period', 'MONTH:2026-10', '--kpi', 'attendance_rate', ...who], /exactly one of --value V or --delta D/],
      [['adjust', '--staff', 'S1', '--period', 'MONTH:2026-10', '--kpi', 'nonsense', '--value', '1', ...who], /--kpi: "nonsense" is not a scored KPI id/],
      [['adjust', '--staff', 'S1', '--period', 'MONTH:2026-10', '--dimension', 'conduct', '--delta', 'lots', ...who], /--delta "lots" is not a finite number/],
      [['void', '--ruling', 'UPHELD', '--event-id', 'E-1', '--period', 'MONTH:2026-10', '--staff', 'S1', ...who], /--ruling does not apply to "correct void"/],
      [['reinstate', '--staff', 'S1'], /unknown correction "reinstate"/],
    ];
    for (const [args, message] of bad) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(await messages()).toEqual([]);
  });

  it('publishes a good correction keyed by its target and prints its id', async () => {
    const r = await cli(['complaint', '--event-id', 'E-CMP-7', '--period', 'MONTH:2026-10', '--staff', 'S1', '--ruling', 'OVERTURNED', ...who]);
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(/^COR-[0-9a-f-]{36}$/);
    const adj = await cli(['adjust', '--id', 'COR-ADJ-1', '--staff', 'S2', '--period', 'MONTH:2026-10', '--dimension', 'conduct', '--delta=-5', ...who]);
    expect(adj.code, adj.stderr).toBe(0);
    expect(adj.stdout.trim()).toBe('COR-ADJ-1');
    const got = (await messages()).sort((a, b) => a.key.localeCompare(b.key));
    expect(got.map((m) => m.key)).toEqual(['E-CMP-7', 'S2']);
    expect(got[0]!.value).toMatchObject({ correctionId: id, kind: 'COMPLAINT_RULING', staffId: 'S1', targetEventId: 'E-CMP-7', targetPeriod: 'MONTH:2026-10', ruling: 'OVERTURNED', requestedBy: 'SUP-1', approvedBy: 'HR-1', reason: 'appeal reviewed by HR' });
    expect(got[1]!.value).toMatchObject({ correctionId: 'COR-ADJ-1', kind: 'ADJUSTMENT', periodId: 'MONTH:2026-10', adjustment: { target: 'DIMENSION', id: 'conduct', mode: 'DELTA', amount: -5 } });
  });
});
