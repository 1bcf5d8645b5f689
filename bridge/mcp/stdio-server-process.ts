/**
 * The stdio transport the hub uses for local MCP servers. Unlike the SDK's `StdioClientTransport` it starts each
 * server in its own process group (a new session on POSIX), so a Ctrl-C in the user's terminal reaches only the
 * host, which then cancels the running call instead of losing every server; it keeps the server's stderr for
 * diagnostics; it reports how the process ended; and it stops the whole group (an `npx` wrapper and the server it
 * started) when the connection closes or the host exits. See docs/mcp-connections.md.
 */
import type { ChildProcess } from 'node:child_process';
import spawn from 'cross-spawn';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** How to start one stdio MCP server. */
export interface StdioServerProcessOptions {
  command: string;
  args?: readonly string[];
  /** The whole environment of the child (nothing else is inherited). */
  env: Record<string, string>;
  cwd?: string;
  /** Each line the server writes to stderr, as it arrives. */
  onStderr?: (line: string) => void;
  /** Lines on stdout that are not JSON-RPC messages (a command that is not an MCP server prints these). */
  onStdoutNoise?: (line: string) => void;
  /** Largest stdout line accepted (default 10 MB, the SDK's limit). */
  maxLineBytes?: number;
}

/** How a server process ended: an exit code or the signal that stopped it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const POSIX = process.platform !== 'win32';
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Sends `signal` to the child's whole process group (POSIX) or to the child (Windows). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (POSIX) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone.
  }
}

/** Children of a host that exits without closing its hub (process.exit, an uncaught error) are stopped too. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) signalGroup(child, 'SIGKILL');
  });
}

/** Words that describe how a process ended, e.g. "exited with code 1" or "was killed by SIGKILL". */
export function describeExit(exit: ProcessExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
}

/** An MCP `Transport` over a child process's stdin/stdout, in its own process group. */
export class StdioServerProcess implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private spawned = false;
  private exited: ProcessExit | undefined;
  private readonly exitWaiters: (() => void)[] = [];
  private stdout: Buffer = Buffer.alloc(0);
  private stderr = '';

  constructor(private readonly options: StdioServerProcessOptions) {}

  /** The process id while the process runs. */
  get pid(): number | undefined {
    return this.exited ? undefined : this.child?.pid;
  }

  /** How the process ended, once it has (never set when the command could not be started at all). */
  get exit(): ProcessExit | undefined {
    return this.spawned ? this.exited : undefined;
  }

  /** Spawns the server; rejects when the command cannot be started (ENOENT, EACCES). */
  start(): Promise<void> {
    if (this.child) throw new Error('StdioServerProcess already started');
    installExitHook();
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.command, [...(this.options.args ?? [])], {
        env: this.options.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        detached: POSIX,
        windowsHide: true,
        ...(this.options.cwd !== undefined && { cwd: this.options.cwd }),
      });
      this.child = child;
      child.once('spawn', () => {
        this.spawned = true;
        live.add(child);
        resolve();
      });
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.once('exit', (code, signal) => {
        live.delete(child);
        this.exited = { code, signal };
        this.flushStderr();
        for (const wake of this.exitWaiters.splice(0)) wake();
      });
      child.once('close', () => {
        this.exited ??= { code: child.exitCode, signal: child.signalCode };
        this.onclose?.();
      });
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => this.readStdout(chunk));
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => this.readStderr(chunk));
    });
  }

  private readStdout(chunk: Buffer): void {
    this.stdout = this.stdout.length === 0 ? chunk : Buffer.concat([this.stdout, chunk]);
    for (let end = this.stdout.indexOf(10); end >= 0; end = this.stdout.indexOf(10)) {
      const line = this.stdout.toString('utf8', 0, end).replace(/\r$/, '');
      this.stdout = this.stdout.subarray(end + 1);
      if (line.trim() === '') continue;
      let message: JSONRPCMessage;
      try {
        message = deserializeMessage(line);
      } catch {
        this.options.onStdoutNoise?.(line);
        continue;
      }
      this.onmessage?.(message);
    }
    if (this.stdout.length > (this.options.maxLineBytes ?? 10 * 1024 * 1024)) {
      this.stdout = Buffer.alloc(0);
      this.onerror?.(new Error('the server wrote a stdout line longer than the limit'));
    }
  }

  private readStderr(chunk: string): void {
    this.stderr += chunk;
    const lines = this.stderr.split(/\r?\n/);
    this.stderr = lines.pop() ?? '';
    for (const line of lines) this.options.onStderr?.(line);
  }

  private flushStderr(): void {
    if (this.stderr !== '') this.options.onStderr?.(this.stderr);
    this.stderr = '';
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || this.exited) {
        reject(new Error('Not connected'));
        return;
      }
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  private waitForExit(ms: number): Promise<boolean> {
    if (this.exited || !this.child) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      timer.unref();
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * Closes stdin (the MCP way to ask a stdio server to stop), then after `graceMs` sends SIGTERM to the process
   * group, and after another `graceMs` SIGKILL. Resolves once the process has exited.
   */
  async close(graceMs = 1_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    try {
      child.stdin?.end();
    } catch {
      // The pipe is already gone.
    }
    if (!(await this.waitForExit(graceMs))) {
      signalGroup(child, 'SIGTERM');
      if (!(await this.waitForExit(graceMs))) {
        signalGroup(child, 'SIGKILL');
        await this.waitForExit(graceMs);
      }
    }
    // Whatever the server left running in its group (a wrapper's grandchild) goes with it.
    if (POSIX) signalGroup(child, 'SIGKILL');
  }

  /** Stops the process group at once (a server that hangs while starting is not asked twice). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    signalGroup(child, 'SIGKILL');
    await this.waitForExit(5_000);
  }
}
