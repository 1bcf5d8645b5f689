/** Test helpers: orders replicas as real processes on fixed ports (HAProxy in front: bench/haproxy.ts). */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** One server process; `stderr` collects its log. */
export interface Replica {
  port: number;
  child: ChildProcess;
  stderr: string;
}

/** Starts the shipped orders entry over HTTP on `port`; resolves once it listens. */
export async function startReplica(port: number, args: string[]): Promise<Replica> {
  const entry = join(process.cwd(), 'dist', 'servers', 'orders', 'main.js');
  const child = spawn(process.execPath, [entry, '--transport', 'http', '--port', String(port), ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const replica: Replica = { port, child, stderr: '' };
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      replica.stderr += chunk.toString();
      if (replica.stderr.includes('MCP over Streamable HTTP at')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`replica on ${port} exited (${code}): ${replica.stderr}`)));
  });
  child.removeAllListeners('exit');
  return replica;
}

/** Resolves once the process has exited. */
export async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}
