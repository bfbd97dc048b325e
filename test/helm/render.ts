// Renders deploy/helm/cs-appraisal with `helm template` (offline: no cluster, no repository) and
// validates what comes out against the Kubernetes and CRD schemas of kubernetes-models.
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { KafkaTopic, KafkaUser } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1';
import { KafkaTopic as KafkaTopicV1beta2, KafkaUser as KafkaUserV1beta2 } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2';
import { helmBinary } from './helm-binary.ts';

export const CHART_DIR = new URL('../../deploy/helm/cs-appraisal/', import.meta.url).pathname;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export type RenderResult = { ok: true; objects: K8sObject[] } | { ok: false; error: string };

function helm(command: string[], valuesFiles: string[], set: Record<string, string>) {
  const args = [...command, ...valuesFiles.flatMap((f) => ['-f', f]), ...Object.entries(set).flatMap(([k, v]) => ['--set', `${k}=${v}`])];
  // HELM_*_HOME under /tmp: helm touches no one's home directory (and, rendering, nothing online).
  const run = spawnSync(helmBinary(), args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HELM_CACHE_HOME: '/tmp/cs-helm/cache', HELM_CONFIG_HOME: '/tmp/cs-helm/config', HELM_DATA_HOME: '/tmp/cs-helm/data' }, timeout: 60_000 });
  return { ok: run.status === 0, stdout: run.stdout, output: `${run.stdout}${run.stderr}${run.error?.message ?? ''}` };
}

/** `helm lint --strict`: '' when it passes, else its output. */
export function lint(valuesFiles: string[] = [], set: Record<string, string> = {}): string {
  const run = helm(['lint', CHART_DIR, '--strict'], valuesFiles, set);
  return run.ok ? '' : run.output;
}

/** `helm template` with values files (paths) and --set pairs. */
export function render(valuesFiles: string[] = [], set: Record<string, string> = {}, release = 'appraisal'): RenderResult {
  const run = helm(['template', release, CHART_DIR, '--namespace', 'cs'], valuesFiles, set);
  if (!run.ok) return { ok: false, error: run.output };
  const objects = parseAllDocuments(run.stdout).map((d) => d.toJS() as K8sObject | null).filter((o): o is K8sObject => o !== null);
  return { ok: true, objects };
}

/** The objects of a render that must succeed. */
export function renderObjects(valuesFiles: string[] = [], set: Record<string, string> = {}): K8sObject[] {
  const r = render(valuesFiles, set);
  if (!r.ok) throw new Error(`helm template failed: ${r.error}`);
  return r.objects;
}

type Model = new (data: never) => { validate(): void };
const MODELS: Record<string, Model> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'kafka.strimzi.io/v1/KafkaTopic': KafkaTopic,
  'kafka.strimzi.io/v1/KafkaUser': KafkaUser,
  'kafka.strimzi.io/v1beta2/KafkaTopic': KafkaTopicV1beta2,
  'kafka.strimzi.io/v1beta2/KafkaUser': KafkaUserV1beta2,
};

/** Schema violations of one object ('' when it validates); an object of a kind without a model is one. */
export function schemaErrors(obj: K8sObject): string {
  const model = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (!model) return `${obj.apiVersion} ${obj.kind} ${obj.metadata?.name}: no schema model for this kind (add it to MODELS)`;
  try {
    new model(obj as never).validate();
    return '';
  } catch (err) {
    return `${obj.kind} ${obj.metadata.name}: ${(err as Error).message}`;
  }
}
