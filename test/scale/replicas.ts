/** Test helpers: orders replicas as real processes on fixed ports, and HAProxy (Debian's package) in front. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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

/** HAProxy's path, or why it cannot be used. */
export function findHaproxy(): { path: string } | { missing: string } {
  for (const path of ['haproxy', '/usr/sbin/haproxy']) {
    try {
      execFileSync(path, ['-v'], { stdio: 'ignore' });
      return { path };
    } catch {
      // try the next location
    }
  }
  return { missing: 'haproxy is not installed (.ci/run installs it with apt-get install -y haproxy)' };
}

/**
 * The reference configuration of docs/deploy.md, on loopback: round robin over the replicas, health checks on
 * /readyz, retries only where the request surely did not reach a replica (connection failures and our draining
 * 503), redispatched to another replica.
 */
export function haproxyConfig(listenPort: number, replicaPorts: readonly number[]): string {
  return `global
  maxconn 1024

defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 10s
  retries 3
  option redispatch 1
  retry-on conn-failure 503

frontend mcp
  bind 127.0.0.1:${listenPort}
  default_backend orders

backend orders
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 200ms fall 2 rise 2
${replicaPorts.map((port, i) => `  server r${i + 1} 127.0.0.1:${port} check`).join('\n')}
`;
}

/** Runs HAProxy in the foreground with a config written to `dir`. */
export function startHaproxy(path: string, dir: string, config: string): ChildProcess {
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  return spawn(path, ['-f', file, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
}
