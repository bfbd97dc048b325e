// The base of every error the project throws on purpose. Like kafkajs's errors, each says whether
// retrying can help (`retriable`); like Fastify's, each has a stable `code` that operators alert and
// grep on. Pure (no imports), so domain packages can extend it: `@cs/contracts/errors`.

export interface CsErrorOptions {
  retriable: boolean;
  cause?: unknown;
}

export class CsError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(code: string, message: string, opts: CsErrorOptions) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = opts.retriable;
  }
}

export function isCsError(x: unknown): x is CsError {
  return x instanceof CsError;
}

/** Retrying helps only when a project error says so; anything else is a bug or unknown: not retriable. */
export function isRetriable(x: unknown): boolean {
  return x instanceof CsError && x.retriable;
}
