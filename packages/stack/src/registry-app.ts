import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { StackError } from './errors.ts';
import { runMaven } from './maven.ts';
import { cacheDir } from './paths.ts';

/** Pinned Apicurio Registry (a Quarkus app; in-memory storage by default). It needs Java 21+. */
export const REGISTRY_VERSION = '3.3.3';
export const REGISTRY_MIN_JAVA = 21;
const ARTIFACT = `io.apicurio:apicurio-registry-app:${REGISTRY_VERSION}:tar.gz:all`;

function workDir(): string {
  return path.join(cacheDir(), `apicurio-registry-${REGISTRY_VERSION}`);
}

/** The unpacked app: the folder holding quarkus-run.jar. */
export function registryAppDir(): string {
  return path.join(workDir(), 'app');
}

/** True when a previous run completed the download and unpacking (the marker is written last). */
export function registryAppCached(): boolean {
  return existsSync(path.join(registryAppDir(), '.complete'));
}

/** The folder under `root` (itself or one level down) that holds quarkus-run.jar. */
function quarkusAppRoot(root: string): string | null {
  if (existsSync(path.join(root, 'quarkus-run.jar'))) return root;
  for (const d of readdirSync(root, { withFileTypes: true })) {
    if (d.isDirectory() && existsSync(path.join(root, d.name, 'quarkus-run.jar'))) return path.join(root, d.name);
  }
  return null;
}

/** Fetches the registry from Maven Central once (≈158 MB), unpacks it, and reuses it afterwards. */
export function ensureRegistryApp(log: (line: string) => void = () => {}): string {
  const app = registryAppDir();
  if (registryAppCached()) return app;
  const work = workDir();
  // Per-process names: two test workers may fetch at once; the first to finish wins.
  const download = path.join(work, `download.${process.pid}`);
  const staging = path.join(work, `app.partial.${process.pid}`);
  rmSync(download, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(download, { recursive: true });
  mkdirSync(staging, { recursive: true });
  log(`fetching Apicurio Registry ${REGISTRY_VERSION} (≈158 MB) from Maven Central into ${app} (once)…`);
  runMaven(['dependency:copy', `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${download}`], `Apicurio Registry ${REGISTRY_VERSION}`, app);
  const tarball = readdirSync(download).find((f) => f.endsWith('.tar.gz'));
  if (!tarball) throw new StackError('MAVEN_FETCH_FAILED', 'Maven finished but no Apicurio Registry tarball was copied', `delete ${work} and retry`);
  const untar = spawnSync('tar', ['-xzf', path.join(download, tarball), '-C', staging], { encoding: 'utf8' });
  const root = untar.status === 0 ? quarkusAppRoot(staging) : null;
  if (!root) {
    throw new StackError('MAVEN_FETCH_FAILED', `unpacking ${tarball} gave no quarkus-run.jar`, `delete ${work} and retry`, untar.stderr?.trim());
  }
  rmSync(download, { recursive: true, force: true });
  if (registryAppCached()) {
    rmSync(staging, { recursive: true, force: true });
    return app;
  }
  rmSync(app, { recursive: true, force: true });
  renameSync(root, app);
  rmSync(staging, { recursive: true, force: true });
  writeFileSync(path.join(app, '.complete'), new Date().toISOString());
  return app;
}
