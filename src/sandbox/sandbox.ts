/**
 * One sandbox child, which runs exactly one program and is then killed, so every program starts from a clean
 * interpreter (docs/security.md, "Code-mode sandbox"). The parent enforces resident memory from spawn to exit (a
 * watchdog on /proc), and during the program its wall clock, output size and tool calls (tool-calls.ts).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { packageRoot } from '../package-root.js';
import { spawnChild, type SpawnedChild } from './child.js';
import type { Frame } from './frames.js';
import { requireIsolation, type SpawnPlanOptions } from './isolation.js';
import type { ChildHeader, RunnerConfig } from './protocol.js';
import { toolStubs, type CodeTool } from './python-stubs.js';
import { SandboxError } from './sandbox-error.js';
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './sandbox-limits.js';
import {
  discardSnapshot,
  MAX_SNAPSHOT_BYTES,
  planSnapshot,
  snapshotNotMade,
  snapshotPath,
  storeSnapshot,
  type SnapshotPlan,
} from './snapshot.js';
import { ToolCalls, type ToolInvoker } from './tool-calls.js';

export type ExecutionStatus = 'ok' | 'error' | 'timeout' | 'memory' | 'crashed' | 'cancelled';

export interface ExecutionResult {
  status: ExecutionStatus;
  stdout: string;
  stderr: string;
  error?: string;
  truncated: boolean;
  toolCalls: number;
  maxInFlight: number;
  durationMs: number;
}

export interface SandboxOptions {
  limits?: Partial<SandboxLimits>;
  /** Run where the network cannot be isolated (no user namespaces) instead of refusing: the user's choice. */
  allowUnisolated?: boolean;
  /** false: no network namespace even where one could be made (tests of the other layers). Default true. */
  isolateNetwork?: boolean;
  onWarning?: (message: string) => void;
}

function rssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const doneBody = z.strictObject({ stdout: z.string(), stderr: z.string(), error: z.string().optional() });

/** What the running program listens to: frames, and the child's death. */
interface RunHooks {
  frame(frame: Frame<ChildHeader>): void;
  ended(why: string, status: ExecutionStatus): void;
}

const WATCHDOG_MS = 100;

export class Sandbox {
  readonly limits: SandboxLimits;
  readonly isolatedNetwork: boolean;
  private readonly child: SpawnedChild;
  private readonly started: Promise<number>;
  private readonly watchdog: NodeJS.Timeout;
  private ready = false;
  private used = false;
  private dead: { why: string; status: ExecutionStatus } | undefined;
  private run: RunHooks | undefined;
  private load = 0;
  private killedByParent = false;

  private constructor(
    plan: SpawnPlanOptions,
    limits: SandboxLimits,
    private readonly snapshot: SnapshotPlan,
    onWarning?: (message: string) => void,
  ) {
    this.limits = limits;
    let resolveStart: (loadMs: number) => void = () => {};
    let rejectStart: (error: Error) => void = () => {};
    this.started = new Promise<number>((resolve, reject) => {
      resolveStart = resolve;
      rejectStart = reject;
    });
    this.child = spawnChild(plan, {
      maxBodyBytes: (header) => this.maxBodyBytes(header),
      onFrame: (frame) => {
        if (frame.header.t === 'snapshot' && 'make' in snapshot && !this.ready && frame.body) {
          storeSnapshot(snapshot.make, frame.body, onWarning);
        } else if (frame.header.t === 'ready' && !this.ready) {
          this.ready = true;
          resolveStart(frame.header.loadMs);
        } else if (this.run) this.run.frame(frame);
        else this.kill(`the sandbox sent a ${frame.header.t} frame outside a program`, 'crashed');
      },
      onViolation: (reason) => this.kill(`the sandbox broke the protocol (${reason})`, 'crashed'),
    });
    this.isolatedNetwork = this.child.isolatedNetwork;
    // 'close', not 'exit': it comes after the child's last frames were read, so a clean end is never a crash.
    this.child.process.once('close', (code, signal) => {
      clearInterval(this.watchdog);
      if ('make' in snapshot) snapshotNotMade(snapshot.make);
      this.dead ??= { why: `the sandbox process exited (${signal ?? code})`, status: 'crashed' };
      rejectStart(
        Object.assign(
          new SandboxError(
            'SANDBOX_START_FAILED',
            'the sandbox failed to start ' +
              `(${this.dead.why})${this.killedByParent ? '' : `: ${this.child.stderrTail()}`}`,
          ),
          { killed: this.killedByParent },
        ),
      );
      this.run?.ended(this.dead.why, this.dead.status);
    });
    // Memory is watched for the child's whole life, idle or running, not only while a program runs.
    this.watchdog = setInterval(() => this.checkMemory(), WATCHDOG_MS);
  }

  /** Spawns a child and waits until Pyodide is loaded (from the memory snapshot when there is one). */
  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const limits: SandboxLimits = { ...DEFAULT_SANDBOX_LIMITS, ...options.limits };
    const isolation = {
      ...(options.allowUnisolated !== undefined && { allowUnisolated: options.allowUnisolated }),
      ...(options.isolateNetwork !== undefined && { isolateNetwork: options.isolateNetwork }),
    };
    requireIsolation(isolation);
    const root = packageRoot();
    const base = { packageRoot: root, limits, ...isolation };
    const spawnWith = (plan: SnapshotPlan): Promise<Sandbox> => {
      const runnerConfig: RunnerConfig = {
        sendSnapshot: 'make' in plan,
        maxPayloadBytes: limits.maxPayloadBytes,
        ...('from' in plan && { snapshot: plan.from }),
      };
      const extraReads = 'from' in plan ? [plan.from] : [];
      const sandbox = new Sandbox({ ...base, runnerConfig, extraReads }, limits, plan, options.onWarning);
      return sandbox.started.then((loadMs) => {
        sandbox.load = loadMs;
        return sandbox;
      });
    };
    const plan = planSnapshot(snapshotPath(root));
    if (!('from' in plan)) return spawnWith(plan);
    try {
      return await spawnWith(plan);
    } catch (error) {
      // A child the parent killed (its memory cap) says nothing about the snapshot; one that died alone might.
      if ((error as { killed?: boolean }).killed) throw error;
      discardSnapshot(plan.from);
      return spawnWith({});
    }
  }

  /** Milliseconds the child took to load Pyodide. */
  get loadMs(): number {
    return this.load;
  }

  /** Ready for its one program: not yet used, not killed. */
  get alive(): boolean {
    return this.dead === undefined && !this.used;
  }

  get pid(): number | undefined {
    return this.child.process.pid;
  }

  private maxBodyBytes(header: ChildHeader): number {
    if (header.t === 'call') return this.limits.maxPayloadBytes;
    // Only from the child asked to make it, and only before it is ready (before any program ran in it).
    if (header.t === 'snapshot') return 'make' in this.snapshot && !this.ready ? MAX_SNAPSHOT_BYTES : 0;
    // stdout and stderr are cut at outputBytes characters; JSON and UTF-8 take at most 6 bytes for each.
    if (header.t === 'done') return 6 * 2 * this.limits.outputBytes + 64 * 1024;
    return 0;
  }

  private checkMemory(): void {
    const rss = this.pid === undefined ? undefined : rssMb(this.pid);
    if (rss !== undefined && rss > this.limits.maxRssMb)
      this.kill(`the code used more than ${this.limits.maxRssMb} MB of memory and was stopped`, 'memory');
  }

  private kill(why: string, status: ExecutionStatus): void {
    if (this.dead) return;
    this.killedByParent = true;
    this.dead = { why, status };
    clearInterval(this.watchdog);
    this.child.process.kill('SIGKILL');
    this.run?.ended(why, status);
  }

  /** Runs one program; the child is killed when it ends, whatever the outcome. */
  async execute(
    code: string,
    tools: readonly CodeTool[],
    invoker: ToolInvoker,
    signal?: AbortSignal,
  ): Promise<ExecutionResult> {
    if (this.used) throw new SandboxError('SANDBOX_USED', 'a sandbox runs one program; take a fresh one from the pool');
    this.used = true;
    const limits = this.limits;
    const started = performance.now();
    const calls = new ToolCalls(tools, invoker, limits, (callId, ok, text) => {
      if (this.dead) return;
      if (!this.child.send({ t: 'result', callId, ok }, text))
        this.kill('the sandbox stopped reading its tool results', 'crashed');
    });

    return new Promise<ExecutionResult>((resolve) => {
      let settled = false;
      const finish = (status: ExecutionStatus, output?: z.infer<typeof doneBody>, truncated = false): void => {
        if (settled) return;
        settled = true;
        clearTimeout(wall);
        signal?.removeEventListener('abort', cancel);
        calls.end();
        this.run = undefined;
        const error = status === 'ok' ? undefined : (output?.error ?? this.dead?.why);
        const result: ExecutionResult = {
          status,
          stdout: output?.stdout ?? '',
          stderr: output?.stderr ?? '',
          truncated,
          toolCalls: calls.calls,
          maxInFlight: calls.maxInFlight,
          durationMs: performance.now() - started,
        };
        this.close();
        resolve(error === undefined ? result : { ...result, error });
      };
      const cancel = (): void => this.kill('the program was cancelled', 'cancelled');
      const wall = setTimeout(
        () => this.kill(`the code ran longer than ${limits.wallClockMs} ms and was stopped`, 'timeout'),
        limits.wallClockMs,
      );
      this.run = {
        ended: (_why, status) => finish(status),
        frame: ({ header, body, bodyBytes }) => {
          if (header.t === 'call') return void calls.handle(header.callId, header.name, body, bodyBytes);
          if (header.t !== 'done') return this.kill(`the sandbox sent a ${header.t} frame while running`, 'crashed');
          const parsed = body ? doneBody.safeParse(safeJson(body)) : undefined;
          if (!parsed?.success) return this.kill('the sandbox sent a result it may not send', 'crashed');
          // A short run can pass the memory cap between two watchdog ticks: look once more.
          this.checkMemory();
          if (this.dead) return;
          finish(header.ok ? 'ok' : 'error', parsed.data, header.truncated);
        },
      };
      if (this.dead) return finish(this.dead.status);
      if (signal?.aborted) return cancel();
      signal?.addEventListener('abort', cancel, { once: true });
      this.child.send(
        { t: 'exec', outputBytes: limits.outputBytes },
        JSON.stringify({ stubs: toolStubs(tools), code }),
      );
    });
  }

  /** Kills the child (a used or idle sandbox alike). */
  close(): void {
    this.killedByParent = true;
    if (!this.dead) this.dead = { why: 'closed', status: 'crashed' };
    clearInterval(this.watchdog);
    this.child.process.kill('SIGKILL');
  }
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
