/**
 * One sandbox child process and the limits its parent enforces: the tools allowed for an execution, their
 * arguments (ajv against the MCP schema), wall clock, per-call timeout, concurrency and call caps, output size,
 * and resident memory (polled from /proc; the child is killed above the cap).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import type { JsonObject } from '../../bridge/index.js';
import { packageRoot } from '../package-root.js';
import { spawnPlan } from './isolation.js';
import type { ChildMessage, ParentMessage } from './protocol.js';
import { prelude, type CodeTool } from './python-stubs.js';

export interface SandboxLimits {
  wallClockMs: number;
  toolTimeoutMs: number;
  maxToolCalls: number;
  maxConcurrentCalls: number;
  outputBytes: number;
  /** Resident memory cap of the child (Pyodide alone uses ~170 MB). */
  maxRssMb: number;
  /** Arguments and results larger than this are refused. */
  maxPayloadBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  wallClockMs: 60_000,
  toolTimeoutMs: 30_000,
  maxToolCalls: 200,
  maxConcurrentCalls: 16,
  outputBytes: 64 * 1024,
  maxRssMb: 512,
  maxPayloadBytes: 1024 * 1024,
};

/** Runs the tools Python asks for; the sandbox has already checked name and arguments. */
export interface ToolInvoker {
  call(name: string, args: JsonObject, signal: AbortSignal): Promise<{ isError: boolean; text: string }>;
}

export type ExecutionStatus = 'ok' | 'error' | 'timeout' | 'memory' | 'crashed';

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

const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();

/** Compiled once per distinct schema, not per call. */
function validatorFor(schema: JsonObject): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

function argumentErrors(tool: CodeTool, args: unknown): string | undefined {
  const validate = validatorFor(tool.inputSchema);
  if (validate(args)) return undefined;
  return (validate.errors ?? [])
    .map(
      (e) =>
        `${e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'arguments'} ${e.message ?? 'is invalid'}`,
    )
    .join('; ');
}

function rssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export class Sandbox {
  private exec = 0;
  private dead: string | undefined;
  private current: ((message: ChildMessage) => void) | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly cwd: string,
    readonly isolatedNetwork: boolean,
    readonly loadMs: number,
  ) {
    child.on('message', (message: ChildMessage) => this.current?.(message));
    child.on('exit', (code, signal) => {
      this.dead ??= `the sandbox process exited (${signal ?? code})`;
      this.current?.({
        t: 'done',
        execId: this.exec,
        ok: false,
        stdout: '',
        stderr: '',
        truncated: false,
        error: this.dead,
      });
    });
  }

  /** Spawns a child and waits until Pyodide is loaded. */
  static async start(options: { onWarning?: (message: string) => void } = {}): Promise<Sandbox> {
    // Always the compiled runner: the child runs plain node, whatever loaded this module (tsx, vitest, dist).
    const runner = join(packageRoot(), 'dist', 'src', 'sandbox', 'runner.js');
    const plan = spawnPlan(runner, join(packageRoot(), 'package.json'));
    if (!plan.isolatedNetwork) {
      options.onWarning?.(
        'sandbox: `unshare -rn` is not available, so Python code keeps network access on this machine (fetch is removed, but this is not a boundary)',
      );
    }
    const cwd = mkdtempSync(join(tmpdir(), 'mcp-bedrock-sandbox-'));
    const child = spawn(plan.command, plan.args, { cwd, env: {}, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const loadMs = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: ChildMessage) =>
        m.t === 'ready' ? resolve(m.loadMs) : reject(new Error('unexpected first message')),
      );
      child.once('exit', (code) =>
        reject(
          new Error(`the sandbox failed to start (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`),
        ),
      );
    });
    return new Sandbox(child, cwd, plan.isolatedNetwork, loadMs);
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async execute(
    code: string,
    tools: readonly CodeTool[],
    invoker: ToolInvoker,
    overrides: Partial<SandboxLimits> = {},
  ): Promise<ExecutionResult> {
    const limits = { ...DEFAULT_SANDBOX_LIMITS, ...overrides };
    if (this.dead) throw new Error(`sandbox is not usable: ${this.dead}`);
    const execId = ++this.exec;
    const allowed = new Map(tools.map((t) => [t.name, t]));
    const started = performance.now();
    const controller = new AbortController();
    let calls = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const waiting: (() => void)[] = [];

    const reply = (callId: number, ok: boolean, text: string): void => {
      if (!this.dead) this.child.send({ t: 'result', callId, ok, text } satisfies ParentMessage);
    };

    const runCall = async (message: Extract<ChildMessage, { t: 'call' }>): Promise<void> => {
      const tool = allowed.get(message.name);
      if (!tool) return reply(message.callId, false, `tool ${message.name} is not available to this code`);
      if (++calls > limits.maxToolCalls)
        return reply(message.callId, false, `too many tool calls (limit ${limits.maxToolCalls})`);
      if (JSON.stringify(message.args).length > limits.maxPayloadBytes)
        return reply(message.callId, false, `arguments larger than ${limits.maxPayloadBytes} bytes`);
      const invalid = argumentErrors(tool, message.args);
      if (invalid) return reply(message.callId, false, `invalid arguments for ${message.name}: ${invalid}`);
      if (inFlight >= limits.maxConcurrentCalls) await new Promise<void>((resolve) => waiting.push(resolve));
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const timeout = AbortSignal.timeout(limits.toolTimeoutMs);
      const signal = AbortSignal.any([controller.signal, timeout]);
      try {
        const result = await Promise.race([
          invoker.call(message.name, message.args as JsonObject, signal),
          new Promise<never>((_, reject) =>
            signal.addEventListener(
              'abort',
              () => reject(new Error(`${message.name} timed out after ${limits.toolTimeoutMs} ms`)),
              { once: true },
            ),
          ),
        ]);
        const text =
          result.text.length > limits.maxPayloadBytes
            ? `${result.text.slice(0, limits.maxPayloadBytes)}[truncated]`
            : result.text;
        reply(message.callId, !result.isError, text);
      } catch (error) {
        reply(message.callId, false, (error as Error).message);
      } finally {
        inFlight--;
        waiting.shift()?.();
      }
    };

    return new Promise<ExecutionResult>((resolve) => {
      let settled = false;
      const finish = (status: ExecutionStatus, done?: Extract<ChildMessage, { t: 'done' }>, error?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(wall);
        clearInterval(watchdog);
        controller.abort();
        this.current = undefined;
        const result: ExecutionResult = {
          status,
          stdout: done?.stdout ?? '',
          stderr: done?.stderr ?? '',
          truncated: done?.truncated ?? false,
          toolCalls: calls,
          maxInFlight,
          durationMs: performance.now() - started,
        };
        const message = error ?? done?.error;
        resolve(message === undefined ? result : { ...result, error: message });
      };
      const kill = (why: string, status: ExecutionStatus): void => {
        this.dead = why;
        this.child.kill('SIGKILL');
        finish(status, undefined, why);
      };
      const wall = setTimeout(
        () => kill(`the code ran longer than ${limits.wallClockMs} ms and was stopped`, 'timeout'),
        limits.wallClockMs,
      );
      const watchdog = setInterval(() => {
        const rss = this.child.pid === undefined ? undefined : rssMb(this.child.pid);
        if (rss !== undefined && rss > limits.maxRssMb)
          kill(`the code used more than ${limits.maxRssMb} MB of memory and was stopped`, 'memory');
      }, 100);
      this.current = (message) => {
        if (message.t === 'call' && message.execId === execId) void runCall(message);
        else if (message.t === 'done' && message.execId === execId)
          finish(this.dead ? 'crashed' : message.ok ? 'ok' : 'error', message);
      };
      this.child.send({
        t: 'exec',
        execId,
        prelude: prelude(tools),
        code,
        limits: { outputBytes: limits.outputBytes },
      } satisfies ParentMessage);
    });
  }

  async close(): Promise<void> {
    this.dead ??= 'closed';
    this.child.kill('SIGKILL');
    rmSync(this.cwd, { recursive: true, force: true });
  }
}
