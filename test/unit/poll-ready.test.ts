// pollReady: the readiness wait of the local broker, Redis and the registry.
import { describe, expect, it } from 'vitest';
import { pollReady } from '@cs/stack';

/** Holds the event loop, as a spawnSync beside the wait does (the broker's storage format). */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('pollReady', () => {
  it('probes once more after an event loop held past the deadline, and finds a server ready all along', async () => {
    let probes = 0;
    const probe = async () => {
      probes += 1;
      if (probes > 1) return true;
      block(80);
      return 'connect ECONNREFUSED';
    };
    await expect(pollReady(20, 5, probe, () => false)).resolves.toEqual({ ready: true });
    expect(probes).toBe(2);
  });

  it('gives up after the deadline with what the last probe said', async () => {
    let probes = 0;
    const probe = async () => `refused ${++probes}`;
    const r = await pollReady(30, 5, probe, () => false);
    expect(r).toEqual({ ready: false, exited: false, why: `refused ${probes}` });
    expect(probes).toBeGreaterThan(1);
  });

  it('stops at once when the process is gone', async () => {
    let probes = 0;
    const r = await pollReady(10_000, 5, async () => `refused ${++probes}`, () => probes >= 2);
    expect(r).toEqual({ ready: false, exited: true, why: 'refused 2' });
  });
});
