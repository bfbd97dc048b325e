// npm run bench — every benchmark of the project, one after the other (each in its own process,
// so none inherits another's heap or JIT state), then one summary table of their results.
import { spawn } from 'node:child_process';
import { printTable } from './bench-stack.ts';

const BENCHES = ['bench:contracts', 'bench:aggregator', 'bench:scorer'];
const rows: Record<string, string | number>[] = [];

for (const name of BENCHES) {
  console.log(`\n===== npm run ${name} =====`);
  const lines: string[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn('npm', ['run', '--silent', name], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      lines.push(...chunk.toString('utf8').split('\n'));
    });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  const result = lines.find((l) => l.startsWith('BENCH_RESULT '));
  if (code !== 0 || !result) {
    rows.push({ bench: name, measure: 'FAILED', value: `exit ${code}`, goal: '' });
    continue;
  }
  const parsed = JSON.parse(result.slice('BENCH_RESULT '.length)) as { bench: string; rows: { measure: string; value: string | number; goal: string }[] };
  for (const r of parsed.rows) rows.push({ bench: parsed.bench, measure: r.measure, value: r.value, goal: r.goal });
}

console.log('\n===== summary =====');
printTable(rows);
process.exitCode = rows.some((r) => r.measure === 'FAILED') ? 1 : 0;
