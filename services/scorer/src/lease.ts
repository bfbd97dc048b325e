// The publishing lease: one replica at a time (the holder) publishes. Every write of the scorer
// is fenced by it in Lua (lua/includes/checkLease.lua); this is the client side.
import { leaseKey } from './keys.ts';
import { SCRIPT_CODES, type ScorerScripts } from './scripts.ts';

/** The lease turned out to be someone else's (or gone): stop publishing. */
export class LostLease extends Error {
  constructor(what: string) {
    super(`lease lost (${what})`);
  }
}

export class Lease {
  private readonly key: string;

  constructor(
    private readonly scripts: ScorerScripts,
    prefix: string,
    readonly ownerId: string,
    readonly ttlMs: number,
  ) {
    this.key = leaseKey(prefix);
  }

  /** Takes the lease, or extends it when already ours (a restart with the same owner id). */
  async acquire(): Promise<boolean> {
    return (await this.scripts.scorerLeaseAcquire(this.key, this.ownerId, this.ttlMs)) === SCRIPT_CODES.OK;
  }

  /** Compare-and-extend; throws LostLease when the lease is no longer ours. */
  async renew(what: string): Promise<void> {
    const code = await this.scripts.scorerLeaseRenew(this.key, this.ownerId, this.ttlMs);
    if (code !== SCRIPT_CODES.OK) throw new LostLease(what);
  }

  /** Compare-and-delete (clean shutdown); a failure leaves the lease to expire. */
  async release(): Promise<void> {
    await this.scripts.scorerLeaseRelease(this.key, this.ownerId).catch(() => SCRIPT_CODES.NOT_LEASE_HOLDER);
  }
}
