{{/* Names and labels. */}}
{{- define "cs.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "cs.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "cs.labels" -}}
{{ include "cs.selectorLabels" . }}
app.kubernetes.io/part-of: cs-appraisal
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "cs.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cs.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "cs.rulesConfigMap" -}}
{{- default (printf "%s-rules" (include "cs.fullname" .)) .Values.rules.existingConfigMap -}}
{{- end -}}

{{- define "cs.rulesEnabled" -}}
{{- if or .Values.rules.existingConfigMap .Values.rules.versions }}true{{ end -}}
{{- end -}}

{{/* The KafkaUser (and so the Secret the User Operator writes) of one service. */}}
{{- define "cs.kafkaUser" -}}
{{- printf "%s-%s" (include "cs.fullname" .root) .component -}}
{{- end -}}

{{/*
The group members the aggregator runs (replicas x CS_AGGREGATOR_CONSUMERS, default 2) against the
source partitions: a member beyond the partition count gets none and idles.
*/}}
{{- define "cs.checkAggregatorScale" -}}
{{- $consumers := int (default 2 .Values.aggregator.config.CS_AGGREGATOR_CONSUMERS) -}}
{{- $members := mul (int .Values.aggregator.replicas) $consumers -}}
{{- $partitions := int .Values.topics.sourcePartitions -}}
{{- if gt (int .Values.aggregator.replicas) $partitions -}}
{{- fail (printf "aggregator.replicas (%d) exceeds topics.sourcePartitions (%d): a replica beyond the source partition count gets no partition" (int .Values.aggregator.replicas) $partitions) -}}
{{- end -}}
{{- if gt $members $partitions -}}
{{- fail (printf "aggregator.replicas (%d) x CS_AGGREGATOR_CONSUMERS (%d) = %d group members exceed topics.sourcePartitions (%d): lower one of them or add partitions" (int .Values.aggregator.replicas) $consumers $members $partitions) -}}
{{- end -}}
{{- end -}}

{{- define "cs.checkConnections" -}}
{{- if not .Values.kafka.brokers -}}
{{- fail "kafka.brokers is required: the brokers' host:port list, e.g. my-cluster-kafka-bootstrap:9093" -}}
{{- end -}}
{{- if and (not .Values.redis.url) (not .Values.redis.clusterNodes) -}}
{{- fail "set redis.url (redis:// or rediss://, without credentials) or redis.clusterNodes" -}}
{{- end -}}
{{- if and .Values.kafka.sasl.mechanism (not .Values.kafka.sasl.existingSecret) (not .Values.strimzi.users.enabled) -}}
{{- fail "kafka.sasl.mechanism needs kafka.sasl.existingSecret: a Secret holding the user name and password (never put them in values)" -}}
{{- end -}}
{{- if and .Values.strimzi.users.enabled (not .Values.strimzi.cluster) -}}
{{- fail "strimzi.users.enabled needs strimzi.cluster, the Kafka resource's name" -}}
{{- end -}}
{{- end -}}

{{/* The Deployments the chart runs: the aggregator, the scorer, and the console when enabled. */}}
{{- define "cs.components" -}}
{{- if .Values.console.enabled -}}["aggregator","scorer","console"]{{- else -}}["aggregator","scorer"]{{- end -}}
{{- end -}}

{{/* The console refuses to listen beyond loopback without auth: refuse to render it so. */}}
{{- define "cs.checkConsoleAuth" -}}
{{- if and .Values.console.enabled (not .Values.console.auth.existingSecret) (not .Values.console.auth.proxyHeader) -}}
{{- fail "console.enabled needs console.auth.existingSecret (a Secret holding the token) or console.auth.proxyHeader: the console would be open to the cluster's network" -}}
{{- end -}}
{{- end -}}
