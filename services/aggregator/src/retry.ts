import type { Logger } from 'pino';
import { CsError } from '@cs/contracts';

/** The batch is no longer ours (rebalance, stop): its new owner processes it, not a retry here. */
export class Abandoned extends CsError {
  constructor(message: string) {
    super('CS_BATCH_ABANDONED', message, { retriable: false });
  }
}

/**
 * Retries an operation against Redis or Kafka until it succeeds: an outage delays the stream,
 * it never skips a message. Gives up only when the batch is no longer ours (rebalance, stop).
 */
export async function retryUntilDone<T>(
  what: string,
  fn: () => Promise<T>,
  opts: { log: Logger; onRetry: () => void; stillOurs: () => boolean; heartbeat?: () => Promise<void> },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!opts.stillOurs()) throw new Abandoned(`${what}: abandoned (partition revoked or stopping)`);
      const delay = Math.min(100 * 2 ** Math.min(attempt, 7), 5_000);
      opts.onRetry();
      opts.log.warn({ err: (err as Error).message, attempt, delayMs: delay }, `${what} failed; retrying`);
      await new Promise((r) => setTimeout(r, delay));
      await opts.heartbeat?.().catch(() => {});
    }
  }
}
