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
      CS_REGISTRY_PORT: String(await freePort()),
      CS_SOURCE_PARTITIONS: '2',
    };
    const registryUrl = `http://127.0.0.1:${env.CS_REGISTRY_PORT}/apis/ccompat/v7`;
    const first = await cli(['stack', 'up'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`KAFKA_BROKERS=127.0.0.1:${env.CS_KAFKA_PORT}\n`);
    expect(first.stdout).toContain(`REDIS_URL=redis://127.0.0.1:${env.CS_REDIS_PORT}\n`);
    expect(first.stdout).toContain(`SCHEMA_REGISTRY_URL=${registryUrl}\n`);
    expect(first.stderr).toContain('cs.staff-roster.v1');
    const pids = () => ['kafka/kafka.pid', 'redis/redis.pid', 'registry/registry.pid'].map((f) => Number(readFileSync(path.join(dir, f), 'utf8')));
    // A schema registered now must keep its id across down/up (the topics' records carry it).
    const subject = 'stack-cli-probe-value';
    const registered = await fetch(`${registryUrl}/subjects/${subject}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'Probe', fields: [{ name: 'n', type: 'int' }] }) }),
    });
    const { id } = (await registered.json()) as { id: number };
    const before = pids();

    const second = await cli(['stack', 'up'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('already running');
    expect(pids()).toEqual(before);

    const status = await cli(['stack', 'status', '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout.split('\n')[0]!)).toMatchObject({ kafka: { running: true, ready: true }, redis: { running: true }, registry: { running: true, url: registryUrl } });

    const down = await cli(['stack', 'down'], env);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('kafka: stopped');
    expect(down.stdout).toContain('schema registry: stopped');
    for (const pid of before) expect(isAlive(pid)).toBe(false);
    expect((await cli(['stack', 'status'], env)).code).toBe(1);

    const again = await cli(['stack', 'up'], env);
    expect(again.code, again.stderr).toBe(0);
    expect((await (await fetch(`${registryUrl}/subjects/${subject}/versions/latest`)).json()) as { id: number }).toMatchObject({ id });
    expect((await cli(['stack', 'down'], env)).code).toBe(0);
  });

  it('CS_SCHEMA_REGISTRY=no leaves the registry out', async () => {
    const own = { ...env, CS_STACK_DIR: path.join(dir, 'no-registry'), CS_SCHEMA_REGISTRY: 'no' };
    const up = await cli(['stack', 'up'], own);
    try {
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout).not.toContain('SCHEMA_REGISTRY_URL');
      expect((await cli(['stack', 'status', '--json'], own)).stdout).toContain('"registry":{"running":false');
    } finally {
      await cli(['stack', 'down'], own);
    }
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
