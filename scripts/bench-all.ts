// npm run bench — every benchmark of the project, one after the other (each in its own process,
// so none inherits another's heap or JIT state), then one summary table of their results.
//
// npm run bench -- --baseline DIR — the same benchmarks in a second checkout (an earlier commit,
// installed with npm ci) and here, alternating bench by bench so both see the same machine, then
// one table with both figures and their ratio (here / baseline).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { printTable } from './bench-stack.ts';

const BENCHES = ['bench:contracts', 'bench:aggregator', 'bench:scorer'];

interface Row {
  bench: string;
  measure: string;
  value: string | number;
  goal: string;
}

/** Runs one `npm run <bench>` in `cwd`, echoing its output, and returns its BENCH_RESULT rows. */
async function runBench(name: string, cwd: string): Promise<Row[]> {
  console.log(`\n===== npm run ${name}  (${cwd}) =====`);
  const lines: string[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn('npm', ['run', '--silent', name], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      lines.push(...chunk.toString('utf8').split('\n'));
    });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  const result = lines.find((l) => l.startsWith('BENCH_RESULT '));
  if (code !== 0 || !result) return [{ bench: name, measure: 'FAILED', value: `exit ${code}`, goal: '' }];
  const parsed = JSON.parse(result.slice('BENCH_RESULT '.length)) as { bench: string; rows: Omit<Row, 'bench'>[] };
  return parsed.rows.map((r) => ({ bench: parsed.bench, ...r }));
}

/** A figure as printed (a number, or text such as "7.52" or "1,234"); NaN when it is not one. */
function asNumber(v: string | number): number {
  return typeof v === 'number' ? v : Number(v.replace(/,/g, ''));
}

const { values } = parseArgs({ options: { baseline: { type: 'string' } } });
const here = process.cwd();
const baseline = values.baseline === undefined ? undefined : path.resolve(values.baseline);
const table: Record<string, string | number>[] = [];
let failed = false;

for (const name of BENCHES) {
  const before = baseline === undefined ? undefined : await runBench(name, baseline);
  const after = await runBench(name, here);
  failed ||= after.some((r) => r.measure === 'FAILED') || !!before?.some((r) => r.measure === 'FAILED');
  for (const r of after) {
    if (before === undefined) {
      table.push({ bench: r.bench, measure: r.measure, value: r.value, goal: r.goal });
      continue;
    }
    const b = before.find((x) => x.bench === r.bench && x.measure === r.measure);
    const [x, y] = [asNumber(r.value), b === undefined ? NaN : asNumber(b.value)];
    const ratio = Number.isFinite(x) && Number.isFinite(y) && y > 0 ? (x / y).toFixed(2) : '';
    table.push({ bench: r.bench, measure: r.measure, baseline: b?.value ?? '(not measured)', now: r.value, 'now/baseline': ratio, goal: r.goal });
  }
}

console.log(`\n===== summary${baseline === undefined ? '' : ` (baseline: ${baseline})`} =====`);
printTable(table);
process.exitCode = failed ? 1 : 0;
