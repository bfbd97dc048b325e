// Compiles dashboard JSON against DashboardJson (dashboard-schema.ts) with the project's own tsc.
// Each dashboard becomes `export const dashboard: DashboardJson = <its JSON>;` with the JSON
// starting on line 1, so TypeScript's line:column are the JSON file's. An object literal (not an
// imported .json, whose strings TypeScript widens) gets literal types and excess-property checks.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROOT } from './config.ts';

const SCHEMA = join(ROOT, 'test/monitoring/dashboard-schema.ts');
// The compiler's own bin as its package.json declares it, found by Node's resolution.
const TS_PACKAGE = createRequire(import.meta.url).resolve('typescript/package.json');
const TSC = join(dirname(TS_PACKAGE), (JSON.parse(readFileSync(TS_PACKAGE, 'utf8')) as { bin: { tsc: string } }).bin.tsc);

/** `name` → JSON text. Returns tsc's errors with the positions in `name` (empty when all conform). */
export function typecheckDashboards(files: Readonly<Record<string, string>>): string[] {
  // Under node_modules so `@grafana/schema` resolves from the repository's own install.
  const cache = join(ROOT, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'cs-dashboards-'));
  try {
    const names = Object.keys(files);
    names.forEach((name, i) => {
      const src = `import type { DashboardJson } from ${JSON.stringify(SCHEMA)}; export const dashboard: DashboardJson = ${files[name]!.trim()};\n`;
      writeFileSync(join(dir, `d${i}.ts`), src);
    });
    const tsconfig = {
      extends: join(ROOT, 'tsconfig.base.json'),
      compilerOptions: { types: [], noEmit: true },
      files: names.map((_, i) => `d${i}.ts`),
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const r = spawnSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    if (r.error) throw r.error;
    const out = `${r.stdout}${r.stderr}`.trim();
    if (r.status === 0) return [];
    const errors = out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.replace(/^d(\d+)\.ts\((\d+),(\d+)\)/, (_m, i: string, line: string, col: string) => `${names[Number(i)]}:${line}:${col}`));
    // A failure of tsc itself (not a type error) must not pass as "no errors".
    return errors.length > 0 ? errors : [`tsc exited ${r.status} without output`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
