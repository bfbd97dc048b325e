{{/*
One service's environment: the shared and the service's own `config` entries by variable name,
then what the chart derives (connections, credentials from Secrets, CA and rules files, listener).
*/}}
{{- define "cs.env" -}}
{{- $v := .root.Values -}}
{{- $svc := index $v .component -}}
- name: KAFKA_BROKERS
  value: {{ $v.kafka.brokers | quote }}
- name: KAFKA_CLIENT_ID
  value: {{ printf "%s-%s" $v.kafka.clientId .component | quote }}
{{- if $v.strimzi.users.enabled }}
- name: KAFKA_SASL_MECHANISM
  value: scram-sha-512
- name: KAFKA_SASL_USERNAME
  value: {{ include "cs.kafkaUser" . | quote }}
- name: KAFKA_SASL_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ include "cs.kafkaUser" . | quote }}, key: password } }
{{- else if $v.kafka.sasl.mechanism }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $v.kafka.sasl.mechanism | quote }}
- name: KAFKA_SASL_USERNAME
  valueFrom: { secretKeyRef: { name: {{ $v.kafka.sasl.existingSecret | quote }}, key: {{ $v.kafka.sasl.usernameKey | quote }} } }
- name: KAFKA_SASL_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ $v.kafka.sasl.existingSecret | quote }}, key: {{ $v.kafka.sasl.passwordKey | quote }} } }
{{- end }}
- name: KAFKA_TLS
  value: {{ $v.kafka.tls.enabled | quote }}
{{- if $v.kafka.tls.ca.secretName }}
- name: KAFKA_TLS_CA_FILE
  value: /etc/cs-appraisal/kafka-ca/{{ $v.kafka.tls.ca.key }}
{{- end }}
{{- if $v.redis.url }}
- name: REDIS_URL
  value: {{ $v.redis.url | quote }}
{{- else }}
- name: REDIS_CLUSTER_NODES
  value: {{ join "," $v.redis.clusterNodes | quote }}
{{- end }}
{{- if $v.redis.auth.username }}
- name: REDIS_USERNAME
  value: {{ $v.redis.auth.username | quote }}
{{- end }}
{{- if $v.redis.auth.existingSecret }}
- name: REDIS_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ $v.redis.auth.existingSecret | quote }}, key: {{ $v.redis.auth.passwordKey | quote }} } }
{{- end }}
{{- if $v.redis.tls.ca.secretName }}
- name: REDIS_TLS_CA_FILE
  value: /etc/cs-appraisal/redis-ca/{{ $v.redis.tls.ca.key }}
{{- end }}
{{- if include "cs.rulesEnabled" .root }}
- name: CS_RULES_FILE
  value: /etc/cs-appraisal/rules
{{- end }}
- name: METRICS_HOST
  value: {{ $v.metrics.host | quote }}
- name: METRICS_PORT
  value: {{ $v.metrics.port | quote }}
{{- if eq .component "console" }}
- name: CS_CONSOLE_HOST
  value: "0.0.0.0"
- name: CS_CONSOLE_PORT
  value: {{ $svc.port | quote }}
{{- if $svc.auth.existingSecret }}
- name: CS_CONSOLE_TOKEN
  valueFrom: { secretKeyRef: { name: {{ $svc.auth.existingSecret | quote }}, key: {{ $svc.auth.tokenKey | quote }} } }
{{- end }}
{{- if $svc.auth.proxyHeader }}
- name: CS_CONSOLE_AUTH_HEADER
  value: {{ $svc.auth.proxyHeader | quote }}
{{- end }}
{{- end }}
{{- if eq .component "scorer" }}
# The pod's name: a restarted container resumes the lease at once, and no two replicas share an id.
- name: CS_SCORER_ID
  valueFrom: { fieldRef: { fieldPath: metadata.name } }
{{- end }}
{{- range $name, $value := merge (dict) (default (dict) $svc.config) $v.config }}
{{- if not (kindIs "invalid" $value) }}
- name: {{ $name }}
  value: {{ include "cs.envValue" $value | quote }}
{{- end }}
{{- end }}
# Node and tsx write under HOME and the temp directory: the emptyDir /tmp.
- name: HOME
  value: /tmp
{{- end -}}

{{/* Helm reads numbers as floats: 2097152 must not become "2.097152e+06". */}}
{{- define "cs.envValue" -}}
{{- if and (kindIs "float64" .) (eq . (floor .)) -}}{{ int64 . }}{{- else -}}{{ . }}{{- end -}}
{{- end -}}

{{- define "cs.deployment" -}}
{{- $v := .root.Values -}}
{{- $svc := index $v .component -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "cs.fullname" .root }}-{{ .component }}
  labels:
    {{- include "cs.labels" . | nindent 4 }}
spec:
  replicas: {{ $svc.replicas }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "cs.selectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }
  template:
    metadata:
      labels:
        {{- include "cs.labels" . | nindent 8 }}
      {{- $annotations := deepCopy $svc.podAnnotations }}
      {{- if and $v.rules.versions (not $v.rules.existingConfigMap) }}
      {{- /* A rules change rolls the pods: the services read the rules at start-up. */}}
      {{- $_ := set $annotations "checksum/rules" (toJson $v.rules.versions | sha256sum) }}
      {{- end }}
      {{- with $annotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "cs.serviceAccountName" .root }}
      automountServiceAccountToken: {{ $v.serviceAccount.automountToken }}
      {{- with $v.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $v.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      containers:
        - name: {{ .component }}
          image: "{{ $v.image.repository }}:{{ default .root.Chart.AppVersion $v.image.tag }}"
          imagePullPolicy: {{ $v.image.pullPolicy }}
          command:
            {{- toYaml (append $v.command .component) | nindent 12 }}
          workingDir: {{ $v.workingDir }}
          env:
            {{- include "cs.env" . | nindent 12 }}
          ports:
            - name: metrics
              containerPort: {{ $v.metrics.port }}
              protocol: TCP
            {{- if eq .component "console" }}
            - name: http
              containerPort: {{ $svc.port }}
              protocol: TCP
            {{- end }}
          startupProbe:
            httpGet: { path: /healthz, port: metrics }
            {{- toYaml $v.probes.startup | nindent 12 }}
          livenessProbe:
            httpGet: { path: /healthz, port: metrics }
            {{- toYaml $v.probes.liveness | nindent 12 }}
          readinessProbe:
            httpGet: { path: /readyz, port: metrics }
            {{- toYaml $v.probes.readiness | nindent 12 }}
          resources:
            {{- toYaml $svc.resources | nindent 12 }}
          securityContext:
            {{- toYaml $v.securityContext | nindent 12 }}
          volumeMounts:
            - { name: tmp, mountPath: /tmp }
            {{- if include "cs.rulesEnabled" .root }}
            - { name: rules, mountPath: /etc/cs-appraisal/rules, readOnly: true }
            {{- end }}
            {{- if $v.kafka.tls.ca.secretName }}
            - { name: kafka-ca, mountPath: /etc/cs-appraisal/kafka-ca, readOnly: true }
            {{- end }}
            {{- if $v.redis.tls.ca.secretName }}
            - { name: redis-ca, mountPath: /etc/cs-appraisal/redis-ca, readOnly: true }
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: { sizeLimit: {{ $v.tmpVolume.sizeLimit }} }
        {{- if include "cs.rulesEnabled" .root }}
        - name: rules
          configMap: { name: {{ include "cs.rulesConfigMap" .root }} }
        {{- end }}
        {{- if $v.kafka.tls.ca.secretName }}
        - name: kafka-ca
          secret: { secretName: {{ $v.kafka.tls.ca.secretName }}, items: [{ key: {{ $v.kafka.tls.ca.key | quote }}, path: {{ $v.kafka.tls.ca.key | quote }} }] }
        {{- end }}
        {{- if $v.redis.tls.ca.secretName }}
        - name: redis-ca
          secret: { secretName: {{ $v.redis.tls.ca.secretName }}, items: [{ key: {{ $v.redis.tls.ca.key | quote }}, path: {{ $v.redis.tls.ca.key | quote }} }] }
        {{- end }}
      {{- with $svc.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      topologySpreadConstraints:
      {{- with $svc.topologySpreadConstraints }}
        {{- toYaml . | nindent 8 }}
      {{- else }}
        # Replicas on different nodes where the scheduler can: one node's loss takes one member
        # of the group / one scorer, not all.
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "cs.selectorLabels" . | nindent 14 }}
      {{- end }}
{{- end -}}
