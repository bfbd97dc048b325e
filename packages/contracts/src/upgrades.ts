// Reading data that Avro's schema resolution cannot carry to the current schema (a field whose
// type changed). A published version names its upgrade in catalogue.json ("upgrade"); the codec
// then reads every older writer as the version just before it and passes the plain value through
// the upgrade. Consumers must be deployed before producers: an old reader cannot read the new data.
import type { Type } from 'avsc';
import { asRecord } from './avro.ts';

/** Plain value as the version before the upgrade reads it -> plain value of the upgraded schema. */
export type Upgrade = (older: Record<string, unknown>, reader: Type) => Record<string, unknown>;

export const UPGRADES = {
  /**
   * appraisal v2: `kpis` was a map keyed by KPI id (v1) and is a record with a field per KPI id;
   * `teamSize` was optional and is required (the scorer always wrote it; a null reads as 0 graded members).
   */
  appraisalKpisRecord: (older, reader) => ({
    ...older,
    kpis: mapToRecord(older.kpis as Record<string, unknown>, fieldType(reader, 'kpis')),
    teamSize: older.teamSize ?? 0,
  }),
} as const satisfies Record<string, Upgrade>;

export type UpgradeName = keyof typeof UPGRADES;

export function isUpgradeName(x: unknown): x is UpgradeName {
  return typeof x === 'string' && Object.hasOwn(UPGRADES, x);
}

/** Every field of `record`, from the map entry of that name or the field's default; other entries are kept. */
function mapToRecord(map: Record<string, unknown>, record: Type): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of asRecord(record).fields) out[f.name] = Object.hasOwn(map, f.name) ? map[f.name] : f.defaultValue();
  for (const k of Object.keys(map)) if (!Object.hasOwn(out, k)) out[k] = map[k];
  return out;
}

function fieldType(record: Type, name: string): Type {
  const f = asRecord(record).fields.find((x) => x.name === name);
  if (!f) throw new Error(`upgrade: ${asRecord(record).name} has no field "${name}"`);
  return f.type;
}
