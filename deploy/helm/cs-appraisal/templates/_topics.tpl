{{/*
The topic plan of packages/stack/src/topics.ts (a unit test compares the two): key, default name
(events.md), the setting that renames it, partitions (source / output / one) and topic config.
*/}}
{{- define "cs.topicPlan" -}}
{{- $src := int .Values.topics.sourcePartitions -}}
{{- $out := int .Values.topics.outputPartitions -}}
{{- $compact := dict "cleanup.policy" "compact" -}}
{{- $plan := list
  (dict "key" "callcenter" "name" "cs.callcenter.v1" "env" "CS_TOPIC_CALLCENTER" "partitions" $src "config" dict)
  (dict "key" "billing" "name" "cs.billing.v1" "env" "CS_TOPIC_BILLING" "partitions" $src "config" dict)
  (dict "key" "outage-repair" "name" "cs.outage-repair.v1" "env" "CS_TOPIC_OUTAGE_REPAIR" "partitions" $src "config" dict)
  (dict "key" "workforce" "name" "cs.workforce.v1" "env" "CS_TOPIC_WORKFORCE" "partitions" $src "config" dict)
  (dict "key" "roster" "name" "cs.staff-roster.v1" "env" "CS_TOPIC_ROSTER" "partitions" 1 "config" (dict "cleanup.policy" "compact" "min.compaction.lag.ms" "0"))
  (dict "key" "appraisal" "name" "cs.appraisal.v1" "env" "CS_TOPIC_APPRAISAL" "partitions" $out "config" $compact)
  (dict "key" "eligibility" "name" "cs.incentive-eligibility.v1" "env" "CS_TOPIC_ELIGIBILITY" "partitions" $out "config" $compact)
  (dict "key" "team-scorecard" "name" "cs.team-scorecard.v1" "env" "CS_TOPIC_TEAM_SCORECARD" "partitions" $out "config" $compact)
  (dict "key" "dlq" "name" "cs.dlq.v1" "env" "CS_TOPIC_DLQ" "partitions" $out "config" dict)
  (dict "key" "corrections" "name" "cs.corrections.v1" "env" "CS_TOPIC_CORRECTIONS" "partitions" $src "config" dict)
-}}
{{- $named := list -}}
{{- range $t := $plan -}}
{{- $named = append $named (set $t "name" (default $t.name (index $.Values.config $t.env))) -}}
{{- end -}}
{{- toJson $named -}}
{{- end -}}

{{/* The name of the topic with this key, as configured. */}}
{{- define "cs.topicName" -}}
{{- range $t := (include "cs.topicPlan" .root | fromJsonArray) -}}
{{- if eq $t.key $.key }}{{ $t.name }}{{ end -}}
{{- end -}}
{{- end -}}
