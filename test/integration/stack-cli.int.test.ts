import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, isAlive } from '@cs/stack';
import { testStack } from '../harness/index.ts';
import { runCli } from '../harness/cli.ts';

const cli = (args: string[], env: Record<string, string>) => runCli(args, env);

// `stack up` on private ports and a private state dir, so it cannot disturb the shared test broker.
describe('cs-appraisal stack', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cs-stack-cli-'));
  let env: Record<string, string>;
  afterAll(async () => {
    await cli(['stack', 'down'], env);
    rmSync(dir, { recursive: true, force: true });
  });

  it('up is idempotent, prints the connection lines, and down leaves no process behind', async () => {
    env = {
      CS_STACK_DIR: dir,
      CS_KAFKA_PORT: String(await freePort()),
      CS_KAFKA_CONTROLLER_PORT: String(await freePort()),
      CS_REDIS_PORT: String(await freePort()),
      CS_SOURCE_PARTITIONS: '2',
    };
    const first = await cli(['stack', 'up'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`KAFKA_BROKERS=127.0.0.1:${env.CS_KAFKA_PORT}\n`);
    expect(first.stdout).toContain(`REDIS_URL=redis://127.0.0.1:${env.CS_REDIS_PORT}\n`);
    expect(first.stderr).toContain('cs.staff-roster.v1');
    const pids = () => [readFileSync(path.join(dir, 'kafka/kafka.pid'), 'utf8'), readFileSync(path.join(dir, 'redis/redis.pid'), 'utf8')].map(Number);
    const before = pids();

    const second = await cli(['stack', 'up'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('already running');
    expect(pids()).toEqual(before);

    const status = await cli(['stack', 'status', '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout.split('\n')[0]!)).toMatchObject({ kafka: { running: true, ready: true }, redis: { running: true } });

    const down = await cli(['stack', 'down'], env);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('kafka: stopped');
    for (const pid of before) expect(isAlive(pid)).toBe(false);
    expect((await cli(['stack', 'status'], env)).code).toBe(1);
  });

  it('says which port is taken, and exits 1', async () => {
    const taken = new URL(testStack().redisUrl).port;
    const r = await cli(['stack', 'up'], { CS_STACK_DIR: path.join(dir, 'other'), CS_REDIS_PORT: taken, CS_KAFKA_PORT: String(await freePort()) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`PORT_TAKEN: port ${taken} is taken`));
  });

  it('exits 2 on a bad action or setting', async () => {
    expect((await cli(['stack', 'sideways'], {})).code).toBe(2);
    expect((await cli(['stack'], {})).code).toBe(2);
  });
});
