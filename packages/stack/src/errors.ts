import { CsError } from '@cs/contracts/errors';

/** One error type for everything that can go wrong bringing the local stack up; `hint` says what to do. */
export type StackErrorCode =
  | 'JAVA_MISSING'
  | 'JAVA_TOO_OLD'
  | 'MAVEN_MISSING'
  | 'MAVEN_FETCH_FAILED'
  | 'REDIS_SERVER_MISSING'
  | 'PORT_TAKEN'
  | 'KAFKA_NOT_READY'
  | 'KAFKA_FORMAT_FAILED'
  | 'REDIS_NOT_READY'
  | 'TOPIC_SETUP_FAILED'
  | 'TLS_SETUP_FAILED'
  | 'REGISTRY_NOT_READY';

/** Waiting longer can help with these; the others need the operator (install, free a port, …). */
const RETRIABLE: ReadonlySet<StackErrorCode> = new Set(['KAFKA_NOT_READY', 'REDIS_NOT_READY', 'REGISTRY_NOT_READY']);

export class StackError extends CsError {
  declare readonly code: StackErrorCode;

  constructor(
    code: StackErrorCode,
    message: string,
    readonly hint: string,
    readonly detail?: string,
  ) {
    super(code, message, { retriable: RETRIABLE.has(code) });
  }

  /** The one line an operator reads first, then the detail (e.g. the broker's last log lines). */
  describe(): string {
    return `${this.code}: ${this.message} — ${this.hint}${this.detail ? `\n${this.detail}` : ''}`;
  }
}
