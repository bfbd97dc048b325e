// The Helm chart (deploy/helm/cs-appraisal) rendered by a real helm for its defaults and for the
// production example, every object validated against the Kubernetes / Prometheus operator /
// Strimzi schemas, and the properties the deployment depends on checked one by one.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRules } from '@cs/runtime';
import { topicPlan } from '@cs/stack';
import { ruleFilePaths } from '../monitoring/config.ts';
import { CHART_DIR, lint, renderObjects, schemaErrors, type K8sObject } from '../helm/render.ts';

const PRODUCTION = join(CHART_DIR, 'values-production.yaml');
// The two settings the defaults cannot know: where Kafka and Redis are.
const CONNECTIONS = { 'kafka.brokers': 'my-kafka-bootstrap:9092', 'redis.url': 'redis://my-redis:6379' };

interface Container {
  name: string;
  command: string[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } } }[];
  ports: { name: string; containerPort: number }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  startupProbe: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean; capabilities: { drop: string[] } };
  volumeMounts: { name: string; mountPath: string }[];
}
interface DeploymentObj extends K8sObject {
  spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { securityContext: { runAsNonRoot: boolean }; containers: Container[]; volumes: { name: string; configMap?: { name: string } }[] } } };
}

const ofKind = <T extends K8sObject = K8sObject>(objs: K8sObject[], kind: string) => objs.filter((o) => o.kind === kind) as T[];
const deployment = (objs: K8sObject[], component: string) => ofKind<DeploymentObj>(objs, 'Deployment').find((d) => d.metadata.labels?.['app.kubernetes.io/component'] === component)!;
const container = (objs: K8sObject[], component: string) => deployment(objs, component).spec.template.spec.containers[0]!;
const envOf = (c: Container) => new Map(c.env.map((e) => [e.name, e]));

const renders = {
  defaults: renderObjects([], CONNECTIONS),
  production: renderObjects([PRODUCTION]),
  'production, Strimzi before 0.49': renderObjects([PRODUCTION], { 'strimzi.apiVersion': 'v1beta2' }),
};

describe('helm lint --strict', () => {
  it('passes for the default and the production values', () => {
    expect(lint([], CONNECTIONS)).toBe('');
    expect(lint([PRODUCTION])).toBe('');
  });
});

describe.each(Object.entries(renders))('helm template with the %s values', (_, objects) => {
  it('renders only objects that validate against their schemas', () => {
    expect(objects.length).toBeGreaterThan(5);
    expect(objects.map(schemaErrors).filter(Boolean)).toEqual([]);
  });

  it('runs the aggregator and two or more scorers, each probed on /healthz and /readyz of its metrics port', () => {
    for (const component of ['aggregator', 'scorer']) {
      const c = container(objects, component);
      expect(c.command.at(-1)).toBe(component);
      const port = Number(envOf(c).get('METRICS_PORT')?.value);
      expect(c.ports).toEqual([expect.objectContaining({ name: 'metrics', containerPort: port })]);
      expect(c.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
      // The services listen on loopback unless told: the kubelet and Prometheus come over the pod network.
      expect(envOf(c).get('METRICS_HOST')?.value).toBe('0.0.0.0');
    }
    expect(deployment(objects, 'scorer').spec.replicas).toBeGreaterThanOrEqual(2);
  });

  it('gives each scorer replica its own lease owner id: the pod name', () => {
    expect(envOf(container(objects, 'scorer')).get('CS_SCORER_ID')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(envOf(container(objects, 'aggregator')).has('CS_SCORER_ID')).toBe(false);
  });

  it('runs non-root on a read-only root file system with resources set, /tmp the only writable path', () => {
    for (const component of ['aggregator', 'scorer']) {
      const d = deployment(objects, component);
      const c = container(objects, component);
      expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    }
  });

  it('spreads the replicas of each Deployment over nodes or zones', () => {
    for (const component of ['aggregator', 'scorer']) {
      const d = deployment(objects, component);
      const spread = (d.spec.template.spec as unknown as { topologySpreadConstraints: { topologyKey: string; labelSelector: { matchLabels: Record<string, string> } }[] }).topologySpreadConstraints;
      expect(spread.length, component).toBeGreaterThan(0);
      for (const c of spread) expect(Object.entries(c.labelSelector.matchLabels).every(([k, v]) => d.spec.template.metadata.labels[k] === v), component).toBe(true);
    }
  });

  it('has a PodDisruptionBudget selecting exactly the pods of each Deployment', () => {
    const pdbs = ofKind<K8sObject & { spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable: number } }>(objects, 'PodDisruptionBudget');
    expect(pdbs).toHaveLength(2);
    for (const component of ['aggregator', 'scorer']) {
      const d = deployment(objects, component);
      const pdb = pdbs.find((p) => p.metadata.name === d.metadata.name)!;
      expect(pdb.spec.selector.matchLabels).toEqual(d.spec.selector.matchLabels);
      expect(pdb.spec.maxUnavailable).toBeLessThan(d.spec.replicas);
    }
  });

  it('carries no Secret and no credential in clear: passwords come from secretKeyRef only', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
    for (const component of ['aggregator', 'scorer']) {
      for (const e of container(objects, component).env.filter((x) => /PASSWORD/.test(x.name))) {
        expect(e.value, e.name).toBeUndefined();
        expect(e.valueFrom?.secretKeyRef?.name, e.name).toBeTruthy();
      }
    }
  });

  it('carries the rules of deploy/prometheus/rules unchanged in the PrometheusRule', () => {
    const [rule] = ofKind<K8sObject & { spec: { groups: unknown[] } }>(objects, 'PrometheusRule');
    const repo = ruleFilePaths().flatMap((f) => (parse(readFileSync(f, 'utf8')) as { groups: unknown[] }).groups);
    expect(rule!.spec.groups).toEqual(repo);
  });

  it('scrapes both services with job = aggregator / scorer, the names the alert rules select on', () => {
    const [monitor] = ofKind<K8sObject & { spec: { jobLabel: string; selector: { matchLabels: Record<string, string> }; endpoints: { port: string }[] } }>(objects, 'ServiceMonitor');
    const services = ofKind<K8sObject & { spec: { selector: Record<string, string> } }>(objects, 'Service');
    const scraped = services.filter((s) => Object.entries(monitor!.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v));
    expect(scraped.map((s) => s.metadata.labels?.[monitor!.spec.jobLabel]).sort()).toEqual(['aggregator', 'scorer']);
    expect(monitor!.spec.endpoints.map((e) => e.port)).toEqual(['metrics']);
    for (const s of scraped) expect(s.spec.selector).toEqual(deployment(objects, s.metadata.labels!['app.kubernetes.io/component']!).spec.selector.matchLabels);
  });
});

describe('the production example', () => {
  const objects = renders.production;
  const values = parse(readFileSync(PRODUCTION, 'utf8')) as { topics: { sourcePartitions: number; outputPartitions: number } };

  it('scales the aggregator to one group member per source partition', () => {
    const replicas = deployment(objects, 'aggregator').spec.replicas;
    const consumers = Number(envOf(container(objects, 'aggregator')).get('CS_AGGREGATOR_CONSUMERS')?.value);
    expect(replicas * consumers).toBe(values.topics.sourcePartitions);
  });

  it('speaks kafka.strimzi.io/v1 to Strimzi, or v1beta2 to an operator older than 0.49', () => {
    const versions = (objs: K8sObject[]) => new Set(objs.filter((o) => o.apiVersion.startsWith('kafka.strimzi.io/')).map((o) => o.apiVersion));
    expect(versions(objects)).toEqual(new Set(['kafka.strimzi.io/v1']));
    expect(versions(renders['production, Strimzi before 0.49'])).toEqual(new Set(['kafka.strimzi.io/v1beta2']));
  });

  it('creates the topics of the stack topic plan as Strimzi KafkaTopics', () => {
    const topics = ofKind<K8sObject & { spec: { topicName: string; partitions: number; config: Record<string, string | number> } }>(objects, 'KafkaTopic');
    const plan = topicPlan({ sourcePartitions: values.topics.sourcePartitions, outputPartitions: values.topics.outputPartitions });
    const asRendered = (t: (typeof topics)[number]) => ({ topic: t.spec.topicName, numPartitions: t.spec.partitions, config: Object.fromEntries(Object.entries(t.spec.config).filter(([k]) => k !== 'min.insync.replicas')) });
    const asPlanned = (t: (typeof plan)[number]) => ({ topic: t.topic, numPartitions: t.numPartitions, config: Object.fromEntries((t.configEntries ?? []).map((c) => [c.name, c.value])) });
    expect(topics.map(asRendered).sort((a, b) => a.topic.localeCompare(b.topic))).toEqual(plan.map(asPlanned).sort((a, b) => a.topic.localeCompare(b.topic)));
    // Deleting a KafkaTopic deletes the topic: an uninstall must not take the payroll record with it.
    for (const t of topics) expect(t.metadata.annotations?.['helm.sh/resource-policy'], t.spec.topicName).toBe('keep');
  });

  it('logs each service in as its own KafkaUser, with the Secret the User Operator writes', () => {
    const users = ofKind<K8sObject & { spec: { authorization: { acls: { resource: { type: string; name?: string }; operations: string[] }[] } } }>(objects, 'KafkaUser');
    expect(users.map((u) => u.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual(['aggregator', 'scorer']);
    for (const user of users) {
      const env = envOf(container(objects, user.metadata.labels!['app.kubernetes.io/component']!));
      expect(env.get('KAFKA_SASL_USERNAME')?.value).toBe(user.metadata.name);
      expect(env.get('KAFKA_SASL_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: user.metadata.name, key: 'password' });
    }
    const acl = (component: string, topic: string) => users.find((u) => u.metadata.labels?.['app.kubernetes.io/component'] === component)!.spec.authorization.acls.find((a) => a.resource.name === topic)?.operations ?? [];
    expect(acl('aggregator', 'cs.callcenter.v1')).toContain('Read');
    expect(acl('aggregator', 'cs.dlq.v1')).toContain('Write');
    expect(acl('aggregator', 'cs.appraisal.v1')).toEqual([]);
    expect(acl('scorer', 'cs.appraisal.v1')).toContain('Write');
    expect(acl('scorer', 'cs.incentive-eligibility.v1')).toContain('Write');
    expect(acl('scorer', 'cs.callcenter.v1')).not.toContain('Read');
  });

  it('admits connections to the metrics port only, from Prometheus', () => {
    const [policy] = ofKind<K8sObject & { spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress: { ports: { port: string }[]; from: unknown[] }[] } }>(objects, 'NetworkPolicy');
    expect(policy!.spec.policyTypes).toEqual(['Ingress']);
    expect(policy!.spec.ingress).toHaveLength(1);
    expect(policy!.spec.ingress[0]!.ports).toEqual([{ port: 'metrics', protocol: 'TCP' }]);
    expect(policy!.spec.ingress[0]!.from.length).toBeGreaterThan(0);
    for (const component of ['aggregator', 'scorer']) {
      const labels = deployment(objects, component).spec.template.metadata.labels;
      expect(Object.entries(policy!.spec.podSelector.matchLabels).every(([k, v]) => labels[k] === v), component).toBe(true);
    }
  });

  describe('rules versions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-helm-rules-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('mounts the ConfigMap as the CS_RULES_FILE directory, whose files the services load', () => {
      const [configMap] = ofKind<K8sObject & { data: Record<string, string> }>(objects, 'ConfigMap');
      for (const component of ['aggregator', 'scorer']) {
        const d = deployment(objects, component);
        const c = container(objects, component);
        const mount = c.volumeMounts.find((m) => m.name === 'rules')!;
        expect(envOf(c).get('CS_RULES_FILE')?.value).toBe(mount.mountPath);
        expect(d.spec.template.spec.volumes.find((v) => v.name === 'rules')?.configMap?.name).toBe(configMap!.metadata.name);
      }
      for (const [file, text] of Object.entries(configMap!.data)) writeFileSync(join(dir, file), text);
      const book = loadRules({ CS_RULES_FILE: dir, CS_TIMEZONE: 'Asia/Shanghai' });
      expect(book.versions.map((v) => v.rulesVersion)).toContain('2027.1');
    });
  });
});
