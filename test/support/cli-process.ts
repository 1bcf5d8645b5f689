/** The built CLI as users run it: one-shot commands and long-running ones (emulator, gateway) on port 0. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

/** An environment without AWS credentials: only what a process needs to run. */
export const bareEnv = (home: string, extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '',
  HOME: home,
  XDG_DATA_HOME: join(home, 'data'),
  ...extra,
});

/** A fresh home folder (`prefix` and a random tail, under the temp dir) with an `mcp.json` of these servers. */
export function homeWithConfig(prefix: string, mcpServers: Record<string, unknown>): { home: string; config: string } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const config = join(home, 'mcp.json');
  writeFileSync(config, JSON.stringify({ mcpServers }));
  return { home, config };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

export interface Served {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a serving command and resolves with the URL it prints once it listens. */
export function serveCli(args: string[], env: Record<string, string>): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    const stop = (): Promise<void> =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('close', () => done());
        child.kill('SIGTERM');
      });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (url) resolve({ url, child, stop });
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`${args[0]} exited (${code}) before listening: ${stderr}`)));
  });
}
