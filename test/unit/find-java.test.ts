// findJava: JAVA_HOME first, then PATH, then /usr/lib/jvm; a clear StackError when none is new enough.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StackError, findJava } from '@cs/stack';

const root = mkdtempSync(path.join(os.tmpdir(), 'cs-find-java-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fake JDK whose `java -version` reports `version` the way OpenJDK does (on stderr). */
function fakeJdk(dir: string, version: string): string {
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  const bin = path.join(dir, 'bin', 'java');
  writeFileSync(bin, `#!/bin/sh\necho 'openjdk version "${version}" 2025-10-21' >&2\n`);
  chmodSync(bin, 0o755);
  return bin;
}

// No java on this PATH: the fake JDKs are the only ones findJava can see.
const emptyPath = mkdtempSync(path.join(root, 'path-'));

describe('findJava', () => {
  it('takes JAVA_HOME when it is new enough', () => {
    const home = path.join(root, 'home-25');
    const bin = fakeJdk(home, '25.0.1');
    expect(findJava(21, { JAVA_HOME: home, PATH: emptyPath }, path.join(root, 'none'))).toEqual({ bin, major: 25 });
  });

  it('passes over an old JAVA_HOME for a newer JDK under the JVM folder', () => {
    const jvm = path.join(root, 'jvm-a');
    const home = path.join(root, 'home-17');
    fakeJdk(home, '17.0.13');
    fakeJdk(path.join(jvm, 'java-1.8.0'), '1.8.0_412');
    const bin = fakeJdk(path.join(jvm, 'temurin-25'), '25');
    expect(findJava(21, { JAVA_HOME: home, PATH: emptyPath }, jvm)).toEqual({ bin, major: 25 });
  });

  it('throws JAVA_TOO_OLD naming every Java it found', () => {
    const jvm = path.join(root, 'jvm-b');
    const old = fakeJdk(path.join(jvm, 'java-17'), '17.0.13');
    const err = (() => {
      try {
        findJava(21, { PATH: emptyPath }, jvm);
      } catch (e) {
        return e;
      }
    })() as StackError;
    expect(err).toBeInstanceOf(StackError);
    expect(err.code).toBe('JAVA_TOO_OLD');
    expect(err.message).toContain(`${old} (17)`);
    expect(err.hint).toContain('Java 21+');
    expect(err.retriable).toBe(false);
  });

  it('throws JAVA_MISSING when there is no Java at all', () => {
    expect(() => findJava(21, { PATH: emptyPath }, path.join(root, 'none'))).toThrow(expect.objectContaining({ code: 'JAVA_MISSING' }));
  });

  it('finds the machine Temurin 25 the registry runs on', () => {
    // This machine kind (and CI) has Java 17 by default and Temurin 25 under /usr/lib/jvm.
    expect(findJava(21).major).toBeGreaterThanOrEqual(21);
  });
});
