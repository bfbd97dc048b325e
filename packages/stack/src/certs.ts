import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { StackError } from './errors.ts';

export interface TestCertificates {
  /** PEM of the self-signed CA: what clients trust (KAFKA_TLS_CA_FILE, REDIS_TLS_CA_FILE). */
  caFile: string;
  /** Server certificate (PEM, signed by the CA; SAN localhost and 127.0.0.1) and its key (PEM, unencrypted). */
  certFile: string;
  keyFile: string;
  /** The same certificate, key and CA chain as a PKCS12 keystore (Kafka's ssl.keystore.*). */
  keystoreFile: string;
  keystorePassword: string;
}

/**
 * A throwaway CA and a server certificate for 127.0.0.1/localhost, made with the openssl CLI into
 * `dir` (a temp dir of a test run: keys are never committed). Valid for two days.
 */
export function createTestCertificates(dir: string, opts: { commonName?: string } = {}): TestCertificates {
  mkdirSync(dir, { recursive: true });
  const f = (name: string) => path.join(dir, name);
  const keystorePassword = randomBytes(12).toString('hex');
  writeFileSync(f('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  const steps: string[][] = [
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=cs-test-ca'],
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', `/CN=${opts.commonName ?? 'localhost'}`],
    ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('server.ext')],
    // The keystore password from the environment (env:), not the command line (pass:), which `ps` shows.
    ['pkcs12', '-export', '-in', f('server.pem'), '-inkey', f('server.key'), '-certfile', f('ca.pem'), '-name', 'server', '-out', f('server.p12'), '-passout', 'env:CS_KEYSTORE_PASSWORD'],
  ];
  for (const args of steps) {
    const res = spawnSync('openssl', args, { encoding: 'utf8', env: { ...process.env, CS_KEYSTORE_PASSWORD: keystorePassword } });
    if (res.error || res.status !== 0) {
      throw new StackError('TLS_SETUP_FAILED', `openssl ${args[0]} failed while making test certificates`, 'install the openssl CLI', `${res.error?.message ?? ''}${res.stderr ?? ''}`.trim());
    }
  }
  // Private keys and the keystore: owner-readable only, whatever openssl and the umask made them.
  for (const secret of ['ca.key', 'server.key', 'server.p12']) chmodSync(f(secret), 0o600);
  return { caFile: f('ca.pem'), certFile: f('server.pem'), keyFile: f('server.key'), keystoreFile: f('server.p12'), keystorePassword };
}
