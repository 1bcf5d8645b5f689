/**
 * Pre-warmed sandboxes: Pyodide takes seconds to load on 2 cores, so `warm` children wait ready and a request
 * rarely pays the cold start. A sandbox that hit a limit is discarded, never reused.
 */
import { Sandbox } from './sandbox.js';

export class SandboxPool {
  private readonly ready: Promise<Sandbox>[] = [];
  private closed = false;

  constructor(
    private readonly warm = 1,
    private readonly onWarning?: (message: string) => void,
  ) {
    this.fill();
  }

  private fill(): void {
    while (!this.closed && this.ready.length < this.warm) {
      const starting = Sandbox.start(this.onWarning ? { onWarning: this.onWarning } : {});
      starting.catch(() => {}); // reported to whoever acquires it
      this.ready.push(starting);
    }
  }

  /** A ready sandbox for one conversation; the pool starts a replacement in the background. */
  async acquire(): Promise<Sandbox> {
    const next = this.ready.shift() ?? Sandbox.start(this.onWarning ? { onWarning: this.onWarning } : {});
    this.fill();
    return next;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.ready.splice(0);
    await Promise.allSettled(pending.map(async (p) => (await p).close()));
  }
}
