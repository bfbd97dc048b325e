import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this package holding the workspace package.json. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package-lock.json')) && existsSync(path.join(dir, 'packages'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot locate the repository root');
    dir = parent;
  }
}

/** Downloaded jars live here (git-ignored) and survive `stack down`, so a warm start fetches nothing. */
export function cacheDir(): string {
  return process.env.CS_CACHE_DIR ?? path.join(repoRoot(), '.cache');
}

/** Runtime state of `stack up`: data dirs, logs, pid files (git-ignored). */
export function stateDir(): string {
  return process.env.CS_STACK_DIR ?? path.join(repoRoot(), '.stack');
}
