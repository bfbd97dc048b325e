import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { classifyKafkaError, errorChain, kafkaRetriable } from '../src/kafka-errors.ts';

const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSSASLAuthenticationError, KafkaJSRequestTimeoutError } = kafkajs;
const protocol = (type: string) => Object.assign(new KafkaJSProtocolError('broker said no'), { type });
// kafkajs's typings omit this constructor's arguments (its source: `(e, { retryCount, retryTime })`).
const retried = (e: Error): Error => Reflect.construct(KafkaJSNumberOfRetriesExceeded, [e, { retryCount: 2, retryTime: 300 }]);

describe('classifyKafkaError (kafkajs error classes, not message text)', () => {
  it('SASL failures: the SASL error class and the protocol types, also under exhausted retries', () => {
    expect(classifyKafkaError(Reflect.construct(KafkaJSSASLAuthenticationError, ['SASL SCRAM-SHA-256 authentication failed']))).toBe('AUTHENTICATION');
    expect(classifyKafkaError(retried(protocol('SASL_AUTHENTICATION_FAILED')))).toBe('AUTHENTICATION');
    expect(classifyKafkaError(protocol('UNSUPPORTED_SASL_MECHANISM'))).toBe('SASL_MECHANISM');
    expect(classifyKafkaError(protocol('ILLEGAL_SASL_STATE'))).toBe('SASL_MECHANISM');
  });

  it('ACL refusals by the protocol error type', () => {
    expect(classifyKafkaError(protocol('CLUSTER_AUTHORIZATION_FAILED'))).toBe('AUTHORIZATION');
    expect(classifyKafkaError(retried(protocol('TOPIC_AUTHORIZATION_FAILED')))).toBe('AUTHORIZATION');
  });

  it('a message that merely mentions authentication is not an authentication failure', () => {
    expect(classifyKafkaError(new KafkaJSConnectionError('Connection error: authentication failed upstream'))).toBe('UNREACHABLE');
    expect(classifyKafkaError(new Error('SASL Authentication failed'))).toBe('UNREACHABLE');
  });

  it('TLS: the Node / OpenSSL code kafkajs keeps on the connection error, or OpenSSL text', () => {
    const selfSigned = Object.assign(new KafkaJSConnectionError('Connection error: self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    expect(classifyKafkaError(retried(selfSigned))).toBe('TLS');
    expect(classifyKafkaError(new KafkaJSConnectionError('Connection error: 80B8:error:0A00010B:SSL routines::wrong version number'))).toBe('TLS');
  });

  it('anything else is UNREACHABLE; kafkajs says what is retriable', () => {
    const refused = Object.assign(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(classifyKafkaError(refused)).toBe('UNREACHABLE');
    expect(classifyKafkaError(new KafkaJSRequestTimeoutError('Request Metadata(key: 3, version: 6) timed out'))).toBe('UNREACHABLE');
    expect(kafkaRetriable(refused)).toBe(true);
    expect(kafkaRetriable(retried(refused))).toBe(false);
    expect(kafkaRetriable(new Error('x'))).toBe(false);
  });

  it('errorChain follows cause and originalError', () => {
    const inner = new Error('inner');
    expect(errorChain(retried(inner)).at(-1)).toBe(inner);
  });
});
