// The chart's values: every setting the services read is settable, every value is documented in
// values.schema.json, and values that would deploy something broken are refused with a message
// naming the value.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ENV_KEYS } from '@cs/runtime';
import { CHART_DIR, render, renderObjects, type K8sObject } from '../helm/render.ts';

interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
}
const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as SchemaNode;
const CONNECTIONS = { 'kafka.brokers': 'my-kafka-bootstrap:9092', 'redis.url': 'redis://my-redis:6379' };
// Set by the chart from other values, never by name: connections and credentials (Secrets), the
// CA and rules files (mounts), the listener, and the scorer's lease owner id (the pod name).
const CHART_MANAGED = ['KAFKA_BROKERS', 'KAFKA_CLIENT_ID', 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_TLS', 'KAFKA_TLS_CA_FILE', 'REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_USERNAME', 'REDIS_PASSWORD', 'REDIS_TLS_CA_FILE', 'CS_RULES_FILE', 'METRICS_HOST', 'METRICS_PORT', 'CS_SCORER_ID'];
// Read by the aggregator's entry point outside the shared schema (services/aggregator/src/main.ts).
const AGGREGATOR_ONLY = ['CS_AGGREGATOR_SESSION_TIMEOUT_MS'];

const dir = mkdtempSync(join(tmpdir(), 'cs-helm-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function valuesFile(values: unknown): string {
  const file = join(dir, `values-${n++}.yaml`);
  writeFileSync(file, stringify(values));
  return file;
}
const schemaAt = (path: string[]) => path.reduce<SchemaNode>((node, key) => node.properties![key]!, schema);
const configKeys = (path: string[]) => Object.keys(schemaAt(path).properties ?? {});
const envNames = (objects: K8sObject[]) =>
  new Set(objects.filter((o) => o.kind === 'Deployment').flatMap((d) => (d as unknown as { spec: { template: { spec: { containers: { env: { name: string }[] }[] } } } }).spec.template.spec.containers.flatMap((c) => c.env.map((e) => e.name))));

describe('values', () => {
  it('name every service setting once: by variable in config / <service>.config, or derived by the chart', () => {
    const byName = [...configKeys(['config']), ...configKeys(['aggregator', 'config']), ...configKeys(['scorer', 'config'])];
    expect(new Set(byName).size).toBe(byName.length);
    expect([...byName, ...CHART_MANAGED].sort()).toEqual([...ENV_KEYS, ...AGGREGATOR_ONLY].sort());
  });

  it('reach the pods as environment variables: all of them set, every service setting appears', () => {
    const STRINGS: Record<string, string> = { CS_TIMEZONE: 'UTC', LOG_LEVEL: 'debug', CS_QUEUES: 'a,b', CS_KEY_PREFIX: 'x', CS_GROUP_ID: 'x', SCHEMA_REGISTRY_URL: 'http://registry:8080/apis/ccompat/v7' };
    // A valid value of each: a string, a topic name, or the number at the schema's lower bound.
    const setting = (key: string, node: SchemaNode & { minimum?: number }) => STRINGS[key] ?? (key.startsWith('CS_TOPIC_') ? `t.${key.toLowerCase()}` : Math.max(node.minimum ?? 1, 1));
    const all = (path: string[]) => Object.fromEntries(configKeys(path).map((k) => [k, setting(k, schemaAt([...path, k]))]));
    const file = valuesFile({
      kafka: { brokers: 'k:9093', sasl: { mechanism: 'scram-sha-512', existingSecret: 'kafka-login' }, tls: { enabled: true, ca: { secretName: 'kafka-ca', key: 'ca.crt' } } },
      redis: { clusterNodes: ['r0:6379', 'r1:6379'], auth: { username: 'cs', existingSecret: 'redis-login' }, tls: { ca: { secretName: 'redis-ca', key: 'ca.crt' } } },
      topics: { sourcePartitions: 8 },
      config: all(['config']),
      aggregator: { config: all(['aggregator', 'config']) },
      scorer: { config: all(['scorer', 'config']) },
      rules: { versions: { '2027-01.json': { effectiveFrom: '2027-01-01' } } },
    });
    const names = envNames(renderObjects([file]));
    const missing = [...ENV_KEYS, ...AGGREGATOR_ONLY].filter((k) => !names.has(k) && k !== 'REDIS_URL');
    expect(missing).toEqual([]);
  });

  it('run the console when enabled: its listener beyond loopback, the token from the Secret, an http port on its Service', () => {
    const objects = renderObjects([valuesFile({ console: { enabled: true, auth: { existingSecret: 'console-token' } } })], CONNECTIONS);
    const json = JSON.stringify(objects.filter((o) => o.metadata.name.endsWith('-console')));
    expect(json).toContain('"name":"CS_CONSOLE_HOST","value":"0.0.0.0"');
    expect(json).toContain('"name":"CS_CONSOLE_TOKEN","valueFrom":{"secretKeyRef":{"name":"console-token","key":"token"}}');
    expect(json).toContain('"containerPort":8088');
    expect(objects.filter((o) => o.metadata.name.endsWith('-console')).map((o) => o.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'Service']);
    expect(renderObjects([valuesFile({})], CONNECTIONS).some((o) => o.metadata.name.endsWith('-console'))).toBe(false);
  });

  it('keep large numbers whole (Helm reads them as floats)', () => {
    const objects = renderObjects([valuesFile({ aggregator: { config: { CS_AGGREGATOR_FETCH_BYTES: 2097152 } } })], CONNECTIONS);
    expect(JSON.stringify(objects)).toContain('"name":"CS_AGGREGATOR_FETCH_BYTES","value":"2097152"');
  });

  it('are each described in values.schema.json', () => {
    const undocumented: string[] = [];
    const walk = (value: unknown, node: SchemaNode | undefined, path: string) => {
      if (!node?.description) undocumented.push(path);
      if (node?.properties && value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk(v, node.properties[k], `${path}.${k}`);
    };
    for (const file of ['values.yaml', 'values-production.yaml']) {
      const values = parse(readFileSync(join(CHART_DIR, file), 'utf8')) as Record<string, unknown>;
      for (const [k, v] of Object.entries(values)) walk(v, schema.properties?.[k], `${file}: ${k}`);
    }
    expect(undocumented).toEqual([]);
  });
});

describe('values that would deploy something broken are refused', () => {
  const refusal = (values: unknown, set: Record<string, string> = CONNECTIONS) => {
    const r = render([valuesFile(values)], set);
    return r.ok ? 'rendered' : r.error;
  };

  it('the defaults alone: Kafka and Redis must be named', () => {
    expect(refusal({}, {})).toMatch(/kafka\.brokers is required/);
    expect(refusal({}, { 'kafka.brokers': 'k:9092' })).toMatch(/set redis\.url .* or redis\.clusterNodes/);
  });

  it('a value the schema does not know, or of the wrong type', () => {
    expect(refusal({ scorer: { replicaCount: 3 } })).toMatch(/\/scorer.*additional properties 'replicaCount' not allowed/i);
    expect(refusal({ config: { CS_TIMEZON: 'UTC' } })).toMatch(/\/config.*'CS_TIMEZON' not allowed/i);
    expect(refusal({ aggregator: { config: { CS_AGGREGATOR_CONSUMERS: 'two' } } })).toMatch(/\/aggregator\/config\/CS_AGGREGATOR_CONSUMERS/);
  });

  it('a single scorer: nothing would stand by to take the lease', () => {
    expect(refusal({ scorer: { replicas: 1 } })).toMatch(/\/scorer\/replicas.*minimum/);
  });

  it('more aggregator replicas, or group members, than source partitions', () => {
    expect(refusal({ aggregator: { replicas: 7, config: { CS_AGGREGATOR_CONSUMERS: 1 } } })).toMatch(/aggregator\.replicas \(7\) exceeds topics\.sourcePartitions \(6\)/);
    expect(refusal({ aggregator: { replicas: 4 } })).toMatch(/aggregator\.replicas \(4\) x CS_AGGREGATOR_CONSUMERS \(2\) = 8 group members exceed topics\.sourcePartitions \(6\)/);
    expect(refusal({ aggregator: { replicas: 6, config: { CS_AGGREGATOR_CONSUMERS: 1 } } })).toBe('rendered');
  });

  it('a credential in the Redis URL, or SASL without a Secret to read it from', () => {
    expect(refusal({ redis: { url: 'redis://:hunter2@my-redis:6379' } }, { 'kafka.brokers': 'k:9092' })).toMatch(/\/redis\/url.*does not match pattern/);
    expect(refusal({ kafka: { sasl: { mechanism: 'scram-sha-512' } } })).toMatch(/kafka\.sasl\.mechanism needs kafka\.sasl\.existingSecret/);
  });

  it('a console with no way to authenticate (it would be open to the cluster network)', () => {
    expect(refusal({ console: { enabled: true } })).toMatch(/console\.enabled needs console\.auth\.existingSecret .* or console\.auth\.proxyHeader/);
    expect(refusal({ console: { enabled: true, auth: { proxyHeader: 'X-Forwarded-User' } } })).toBe('rendered');
  });

  it('a root container or one that may escalate its privileges', () => {
    expect(refusal({ podSecurityContext: { runAsNonRoot: false } })).toMatch(/\/podSecurityContext\/runAsNonRoot/);
    expect(refusal({ securityContext: { allowPrivilegeEscalation: true } })).toMatch(/\/securityContext\/allowPrivilegeEscalation/);
  });
});
