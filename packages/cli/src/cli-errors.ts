/** Exit 2: the command line itself is wrong. The message says what to type instead. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** Exit 1: the command was fine but something failed while running it. */
export class RuntimeFailure extends Error {
  readonly exitCode = 1;
}
