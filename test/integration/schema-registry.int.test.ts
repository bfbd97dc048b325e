// The stack's Apicurio Registry: started from the cached Maven Central app on a Java 21+, it
// answers the Confluent-compatible API that SCHEMA_REGISTRY_URL points at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../harness/index.ts';
import { startTestRegistry, type TestRegistry } from '../harness/registry.ts';

const SCHEMA = JSON.stringify({ type: 'record', name: 'Ping', namespace: 'test.registry', fields: [{ name: 'n', type: 'int' }] });

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startTestRegistry();
}, 600_000);
afterAll(() => registry?.stop());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${registry.url}${path}`, {
    method,
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

describe('schema registry process', () => {
  it('binds 127.0.0.1 and serves the ccompat base', () => {
    expect(registry.url).toBe(`http://127.0.0.1:${registry.port}/apis/ccompat/v7`);
  });

  it('registers a subject, lists it and resolves the id it returned', async () => {
    const subject = `${uniqueName('ping')}-value`;
    const reg = await call('POST', `/subjects/${subject}/versions`, { schema: SCHEMA, schemaType: 'AVRO' });
    expect(reg.status).toBe(200);
    const id = (reg.json as { id: number }).id;
    expect(Number.isInteger(id) && id > 0).toBe(true);

    const again = await call('POST', `/subjects/${subject}/versions`, { schema: SCHEMA });
    expect(again.json).toEqual({ id });

    expect((await call('GET', '/subjects')).json).toContain(subject);
    const byId = await call('GET', `/schemas/ids/${id}`);
    expect(JSON.parse((byId.json as { schema: string }).schema)).toEqual(JSON.parse(SCHEMA));
  });
});
