// Every package declares what it imports, and reaches other packages only through their exports:
// an undeclared import works by accident of hoisting, and a path into another package's src/ or
// test/ bypasses what that package chose to publish. Reads the files only; no install needed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE = /\.(ts|mjs|js)$/;

interface Manifest {
  name: string;
  exports?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readJson = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8'));
const rootManifest = readJson(path.join(ROOT, 'package.json'));

const workspaces = ['packages', 'services'].flatMap((group) =>
  readdirSync(path.join(ROOT, group)).map((name) => {
    const dir = path.join(ROOT, group, name);
    return { dir, manifest: readJson(path.join(dir, 'package.json')) };
  }),
);
const byName = new Map(workspaces.map((w) => [w.manifest.name, w]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (entry === 'node_modules' || entry === 'generated') return [];
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return SOURCE.test(entry) ? [file] : [];
  });
}

// Static `import … from`/`export … from` (the clause holds only names, braces and commas, so a
// comment saying "differs from 'x'" is not taken), side-effect imports and import('…').
const SPECIFIERS = [
  /^\s*(?:import|export)\s+(?:type\s+)?[\w*\s{},$]*?\bfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];

function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return SPECIFIERS.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
}

const BUILTINS = new Set(builtinModules);
/** `@scope/name/sub` -> [`@scope/name`, `./sub`]; null for relative paths and Node built-ins. */
function bareImport(spec: string): [pkg: string, subpath: string] | null {
  if (spec.startsWith('.') || spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]!)) return null;
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  return [parts.slice(0, n).join('/'), ['.', ...parts.slice(n)].join('/')];
}

/** The workspace directory a path lies in, or null. */
function workspaceOf(file: string): string | null {
  return workspaces.find((w) => file.startsWith(w.dir + path.sep))?.dir ?? null;
}

describe('workspace dependencies', () => {
  it('every package declares the packages it imports (src and bin: dependencies; test: either)', () => {
    const missing: string[] = [];
    for (const { dir, manifest } of workspaces) {
      for (const file of sourceFiles(dir)) {
        const inTest = path.relative(dir, file).startsWith(`test${path.sep}`);
        const declared = { ...manifest.dependencies, ...(inTest ? manifest.devDependencies : {}) };
        for (const spec of specifiers(file)) {
          const bare = bareImport(spec);
          if (bare && bare[0] !== manifest.name && !(bare[0] in declared)) missing.push(`${path.relative(ROOT, file)}: ${bare[0]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('packages and scripts reach another package only through its exports, never a path into it', () => {
    const reaching: string[] = [];
    const files = [...workspaces.flatMap((w) => sourceFiles(w.dir)), ...sourceFiles(path.join(ROOT, 'scripts'))];
    for (const file of files) {
      for (const spec of specifiers(file)) {
        const target = spec.startsWith('.') ? workspaceOf(path.resolve(path.dirname(file), spec)) : null;
        if (target && target !== workspaceOf(file)) reaching.push(`${path.relative(ROOT, file)}: ${spec}`);
        const bare = bareImport(spec);
        const exported = bare && byName.get(bare[0])?.manifest.exports;
        if (bare && exported && !(bare[1] in exported)) reaching.push(`${path.relative(ROOT, file)}: ${spec} (not exported)`);
      }
    }
    expect(reaching).toEqual([]);
  });

  it('a third-party package has one version range across the repository (the root one)', () => {
    const rootRanges = { ...rootManifest.dependencies, ...rootManifest.devDependencies };
    const differing: string[] = [];
    for (const { manifest } of workspaces) {
      for (const [pkg, range] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
        const expected = byName.has(pkg) ? '*' : rootRanges[pkg];
        if (range !== expected) differing.push(`${manifest.name}: ${pkg}@${range} (root: ${expected ?? 'undeclared'})`);
      }
    }
    expect(differing).toEqual([]);
  });
});
