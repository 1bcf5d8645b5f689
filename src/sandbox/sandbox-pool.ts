/**
 * Fresh sandboxes on demand. Every program runs in a child of its own, so the pool keeps `warm` children loaded
 * and ready and starts the next one as soon as one is taken: a program rarely waits for a start. A child that
 * died while waiting (the memory watchdog, a crash) is never handed out.
 */
import { pyodideDir, requireIsolation } from './isolation.js';
import { Sandbox, type SandboxOptions } from './sandbox.js';
import { SandboxError } from './sandbox-error.js';
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './sandbox-limits.js';

export interface SandboxPoolOptions extends SandboxOptions {
  /** Children kept loaded and ready (default 1). */
  warm?: number;
}

export class SandboxPool {
  /** The limits every sandbox of this pool runs under. */
  readonly limits: SandboxLimits;
  /** Whether its children run in a private network namespace. */
  readonly isolatedNetwork: boolean;
  private readonly ready: Promise<Sandbox>[] = [];
  private readonly warm: number;
  private closed = false;

  /**
   * Throws at once, before any child starts: `SANDBOX_UNISOLATED` where the network cannot be isolated and that
   * was not allowed, `DEPENDENCY_MISSING` without Pyodide.
   */
  constructor(private readonly options: SandboxPoolOptions = {}) {
    this.limits = { ...DEFAULT_SANDBOX_LIMITS, ...options.limits };
    this.isolatedNetwork = requireIsolation(options);
    pyodideDir();
    if (!this.isolatedNetwork)
      options.onWarning?.(
        'sandbox: running Python without network isolation (--allow-unisolated-sandbox): programs may reach ' +
          'the network if they escape the interpreter (docs/security.md)',
      );
    this.warm = options.warm ?? 1;
    this.fill();
  }

  private start(): Promise<Sandbox> {
    const starting = Sandbox.start({ ...this.options, limits: this.limits });
    starting.catch(() => {}); // reported to whoever takes it
    return starting;
  }

  private fill(): void {
    while (!this.closed && this.ready.length < this.warm) this.ready.push(this.start());
  }

  /** A loaded sandbox for one program; the pool starts its replacement at once. */
  async acquire(): Promise<Sandbox> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const next = this.ready.shift() ?? this.start();
      this.fill();
      const sandbox = await next;
      if (sandbox.alive) return sandbox;
    }
    throw new SandboxError('SANDBOX_START_FAILED', 'no sandbox stayed alive until its program (three in a row died)');
  }

  /** Resolves when the children kept ready have loaded (benchmarks wait for it between samples). */
  async warmed(): Promise<void> {
    await Promise.allSettled(this.ready);
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.ready.splice(0);
    await Promise.allSettled(pending.map(async (p) => (await p).close()));
  }
}
