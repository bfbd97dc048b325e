import { spawn } from 'node:child_process';
import path from 'node:path';
import { NODE_FLAGS } from '@cs/runtime/node-flags';

export const CLI_BIN = path.resolve(import.meta.dirname, '../../packages/cli/bin/cs-appraisal.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cs-appraisal <args>` as a process with extra environment and optional standard input. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, input?: string, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, CLI_BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}
