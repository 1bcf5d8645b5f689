/**
 * Test setup for the web chat: the emulator (in this process), and `mcp-bedrock web` as users run it (the built
 * CLI in its own process) with the real orders server on a fresh SQLite file and its own sessions directory.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ScenarioDefinition, startEmulator, type Emulator } from '../../src/emulator/index.js';

export const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
export const MODEL = 'anthropic.claude-3-sonnet-20240229-v1:0';

export interface WebStack {
  url: string;
  emulator: Emulator;
  /** Where sessions live (XDG_DATA_HOME of the web process), for `chat --session` against the same store. */
  dataHome: string;
  /** The orders database. */
  ordersDb: string;
  configPath: string;
  /** The live one-time sign-in link (loopback mode), marked as spent: the next call waits for the next one. */
  takeLink(): Promise<string>;
  /** Waits for a link newer than `previous`. */
  nextLink(previous: string): Promise<string>;
  output(): string;
  /** Runs the CLI against the same store, emulator and orders database (asynchronously: the emulator is here). */
  cli(args: string[], input?: string): Promise<string>;
  /** Kills the web process with SIGKILL (a crash) and resolves once it is gone. */
  crash(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Extra `mcp-bedrock web` options (--operator, --accounts FILE, --rate-limit N…). */
  args?: string[];
  /** Delay between stream events, to watch an answer arrive. */
  eventDelayMs?: number;
  /** Scenarios played before the fixtures' own. */
  scenarios?: ScenarioDefinition[];
  /** Environment for the web process. */
  env?: NodeJS.ProcessEnv;
}

async function waitFor<T>(what: string, probe: () => T | undefined, child: ChildProcess, log: () => string) {
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (child.exitCode !== null)
      throw new Error(`mcp-bedrock web exited (${child.exitCode}) before ${what}:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function startWebStack(options: StackOptions = {}): Promise<WebStack> {
  const dir = mkdtempSync(join(tmpdir(), 'web-chat-'));
  const emulator = await startEmulator({
    port: 0,
    scenarios: [...(options.scenarios ?? []), join(process.cwd(), 'fixtures', 'converse')],
    ...(options.eventDelayMs !== undefined && { eventDelayMs: options.eventDelayMs }),
  });
  const ordersDb = join(dir, 'orders.sqlite');
  const configPath = join(dir, 'servers.json');
  const orders = {
    command: process.execPath,
    args: [join(process.cwd(), 'dist', 'servers', 'orders', 'main.js'), '--db', ordersDb],
  };
  writeFileSync(configPath, JSON.stringify({ mcpServers: { orders } }));
  const dataHome = join(dir, 'data');
  const env = { ...process.env, XDG_DATA_HOME: dataHome, ...options.env };
  const common = ['--endpoint', emulator.url, '--model', MODEL, '--config', configPath];
  const child = spawn(process.execPath, [CLI, 'web', '--port', '0', ...common, ...(options.args ?? [])], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const log = () => out;
  const spent = new Set<string>();
  const links = () => [...out.matchAll(/one-time link\): (\S+)/g)].map((m) => m[1] as string);
  // Behind a proxy the banner names the public URL, and where it listens in parentheses.
  const listening = (): string | undefined => {
    const match = / on (\S+)(?: \(listening on (\S+)\))? · /.exec(out);
    if (!match) return undefined;
    return match[2] ? `http://${match[2]}` : match[1];
  };
  const url = await waitFor('it listened', listening, child, log);
  return {
    url,
    emulator,
    dataHome,
    ordersDb,
    configPath,
    takeLink: async () => {
      const link = await waitFor('a live sign-in link', () => links().find((l) => !spent.has(l)), child, log);
      spent.add(link);
      return link;
    },
    nextLink: (previous) => waitFor('a new sign-in link', () => links()[links().lastIndexOf(previous) + 1], child, log),
    output: log,
    cli: (args, input) =>
      new Promise((resolve, reject) => {
        const run = execFile(process.execPath, [CLI, ...args, ...common], { env }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stdout}${stderr}`)) : resolve(stdout),
        );
        run.stdin?.end(input ?? '');
      }),
    crash: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await emulator.close();
    },
  };
}

/** Writes an accounts file with these users through `mcp-bedrock web users add` (password on stdin). */
export function accountsFile(users: { name: string; password: string; role?: 'customer' | 'operator' }[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'web-accounts-')), 'users.json');
  for (const user of users) {
    execFileSync(
      process.execPath,
      [CLI, 'web', 'users', 'add', user.name, '--accounts', path, '--role', user.role ?? 'customer'],
      { input: `${user.password}\n`, stdio: ['pipe', 'pipe', 'pipe'] },
    );
  }
  return path;
}
