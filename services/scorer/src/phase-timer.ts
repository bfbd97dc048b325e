/** Milliseconds per phase of a tick, summed over its periods (the bench prints them). */
export class PhaseTimer {
  private phases: Record<string, number> = {};
  private lap = performance.now();

  /** Starts a tick: no phases, the lap starts now. */
  reset(): void {
    this.phases = {};
    this.lap = performance.now();
  }

  /** Restarts the lap without booking it (work that is no phase of its own). */
  restart(): void {
    this.lap = performance.now();
  }

  /** Books the time since the last lap to `name`; the next lap starts now. */
  lapTo(name: string): void {
    const now = performance.now();
    this.add(name, now - this.lap);
    this.lap = now;
  }

  add(name: string, ms: number): void {
    this.phases[name] = Math.round((this.phases[name] ?? 0) + ms);
  }

  get snapshot(): Readonly<Record<string, number>> {
    return this.phases;
  }
}
