import { CsError } from '@cs/contracts';

/** Exit 2: the command line itself is wrong. The message says what to type instead. */
export class UsageError extends CsError {
  readonly exitCode = 2;

  constructor(message: string) {
    super('CS_CLI_USAGE', message, { retriable: false });
  }
}

/** Exit 1: the command was fine but something failed while running it. */
export class RuntimeFailure extends CsError {
  readonly exitCode = 1;

  constructor(message: string, opts: { retriable?: boolean; cause?: unknown } = {}) {
    super('CS_CLI_RUNTIME_FAILURE', message, { retriable: opts.retriable ?? false, cause: opts.cause });
  }
}
