// Publishes the working copy of a topic schema as a new frozen version:
//   npx tsx scripts/publish-schema.ts <topicKey>        (e.g. dlq)
//   npx tsx scripts/publish-schema.ts <topicKey> --upgrade <name>
//     for a change Avro cannot resolve: older data is read through UPGRADES[name] (upgrades.ts)
// Checks the evolution rules against every published version first, then copies
// schemas/<current> to schemas/published/<topicKey>/v<n+1>.avsc and adds it to catalogue.json
// with the next free schema id. Also used with --rehash to fill sha256 fields after a manual edit
// of catalogue.json (never of a published file).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SCHEMAS_DIR, readCatalogueFile, readSchemaFile, schemaHash, stableStringify } from '@cs/contracts/catalogue';
import { canRead, checkEvolution, isTopicKey, isUpgradeName } from '@cs/contracts';

const dir = process.env.CS_SCHEMAS_DIR ?? DEFAULT_SCHEMAS_DIR; // override for trying it on a copy
const arg = process.argv[2];
const raw = JSON.parse(readFileSync(join(dir, 'catalogue.json'), 'utf8'));

if (arg === '--rehash') {
  for (const s of Object.values(raw.subjects) as { versions: { file: string; sha256?: string }[] }[]) {
    for (const v of s.versions) v.sha256 ??= schemaHash(readSchemaFile(dir, v.file));
  }
  writeFileSync(join(dir, 'catalogue.json'), `${JSON.stringify(raw, null, 2)}\n`);
  console.log('filled missing sha256 fields');
  process.exit(0);
}
const upgrade = process.argv[3] === '--upgrade' ? process.argv[4] : undefined;
if (!arg || !isTopicKey(arg) || (process.argv[3] !== undefined && !isUpgradeName(upgrade))) {
  console.error('usage: npx tsx scripts/publish-schema.ts <topicKey> [--upgrade <name in packages/contracts/src/upgrades.ts>] | --rehash');
  process.exit(2);
}
const cat = readCatalogueFile(dir);
const subject = cat.subjects[arg]!;
const current = readSchemaFile(dir, subject.current) as never;
const versions = subject.versions.map((v) => readSchemaFile(dir, v.file) as never);
const latest = versions[versions.length - 1]!;
if (stableStringify(latest) === stableStringify(current)) {
  console.log(`${subject.current} is already published as v${subject.versions.length}`);
  process.exit(0);
}
const report = checkEvolution(latest, current);
const problems = [...report.problems];
// Versions before the latest upgrade are read as the version just before it and then upgraded
// (codec.ts), so Avro resolution only has to carry data from that version on.
const cut = subject.versions.findLastIndex((v) => v.upgrade !== undefined);
versions.forEach((v, i) => {
  if (i < cut) return;
  const r = canRead(current, v);
  if (!r.compatible) problems.push(`cannot read v${i + 1}: ${r.reason}`);
});
if (problems.length && upgrade) {
  console.log(`publishing with upgrade ${upgrade}; Avro alone cannot carry older data:\n- ${problems.join('\n- ')}`);
} else if (problems.length) {
  console.error(`refusing to publish ${subject.current} (a type change needs --upgrade and an entry in upgrades.ts):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
const version = subject.versions[subject.versions.length - 1]!.version + 1;
const id = Math.max(...Object.values(cat.subjects).flatMap((s) => s.versions.map((v) => v.id))) + 1;
const file = `published/${arg}/v${version}.avsc`;
mkdirSync(join(dir, 'published', arg), { recursive: true });
writeFileSync(join(dir, file), readFileSync(join(dir, subject.current)));
raw.subjects[arg].versions.push({ id, version, file, sha256: schemaHash(current), ...(upgrade ? { upgrade } : {}) });
writeFileSync(join(dir, 'catalogue.json'), `${JSON.stringify(raw, null, 2)}\n`);
console.log(`published ${subject.current} as ${file} (schema id ${id}); run npx tsx scripts/gen-contract-types.ts if fields changed`);
