// Why a kafkajs client failed, from the error classes kafkajs exports (and the protocol error's
// `type`), never from their message text. TLS failures are Node / OpenSSL errors that kafkajs
// wraps in a KafkaJSConnectionError carrying their `code` and text: those are told by the code,
// and by OpenSSL's text where it has no code.
import kafkajs from 'kafkajs';

// kafkajs is CommonJS and spreads its errors into module.exports: Node's ESM named-import
// detection does not see them, the default export does.
const { KafkaJSError, KafkaJSProtocolError, KafkaJSSASLAuthenticationError } = kafkajs;

export type KafkaFailure = 'AUTHENTICATION' | 'SASL_MECHANISM' | 'AUTHORIZATION' | 'TLS' | 'UNREACHABLE';

const SASL_MECHANISM_TYPES = new Set(['UNSUPPORTED_SASL_MECHANISM', 'ILLEGAL_SASL_STATE']);
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|HOSTNAME_MISMATCH|EPROTO$)/;
// OpenSSL reports some handshake failures only in the text (e.g. a plaintext peer).
const TLS_TEXT = /wrong version number|packet length too long|SSL routines/i;

/** The error and its causes (kafkajs: `cause`, KafkaJSNumberOfRetriesExceeded also `originalError`). */
export function errorChain(err: unknown): Error[] {
  const out: Error[] = [];
  for (let e: unknown = err; e instanceof Error && out.length < 6; e = (e as { cause?: unknown }).cause ?? (e as { originalError?: unknown }).originalError) out.push(e);
  return out;
}

export function classifyKafkaError(err: unknown): KafkaFailure {
  const chain = errorChain(err);
  for (const e of chain) {
    if (e instanceof KafkaJSSASLAuthenticationError) return 'AUTHENTICATION';
    if (e instanceof KafkaJSProtocolError) {
      if (e.type === 'SASL_AUTHENTICATION_FAILED') return 'AUTHENTICATION';
      if (SASL_MECHANISM_TYPES.has(e.type)) return 'SASL_MECHANISM';
      if (e.type.endsWith('_AUTHORIZATION_FAILED')) return 'AUTHORIZATION';
    }
  }
  const tls = chain.some((e) => (TLS_CODE.test(String((e as NodeJS.ErrnoException).code ?? '')) || TLS_TEXT.test(e.message)));
  return tls ? 'TLS' : 'UNREACHABLE';
}

/** kafkajs's own verdict: false for authentication, authorization and exhausted retries. */
export function kafkaRetriable(err: unknown): boolean {
  return err instanceof KafkaJSError ? err.retriable : false;
}
