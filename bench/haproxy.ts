/**
 * HAProxy (Debian's package) in front of server replicas, as docs/deploy.md sets it up; used by the scale bench and
 * the load-balanced replicas test.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
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
 * /readyz, retries only where the request surely did not reach a replica (connection failures and a draining
 * replica's 503), redispatched to another one. `sticky` pins each MCP session to the replica that created it;
 * `healthCheck: false` checks only that a replica accepts connections (for servers without /readyz).
 */
export function haproxyConfig(
  listenPort: number,
  replicaPorts: readonly number[],
  options: { sticky?: boolean; healthCheck?: boolean } = {},
): string {
  const { sticky = false, healthCheck = true } = options;
  const check = healthCheck ? '  option httpchk GET /readyz\n  http-check expect status 200\n' : '';
  const stick = sticky
    ? `  stick-table type string len 64 size 100k expire 30m
  stick on req.hdr(mcp-session-id)
  stick store-response res.hdr(mcp-session-id)
`
    : '';
  return `global
  maxconn 1024

defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 10s
  # A replica busy with calls may answer its check late: a missed check must not move sticky sessions.
  timeout check 2s
  retries 3
  option redispatch 1
  retry-on conn-failure 503

frontend mcp
  bind 127.0.0.1:${listenPort}
  default_backend orders

backend orders
  balance roundrobin
${check}  default-server inter 500ms fall 3 rise 2
${stick}${replicaPorts.map((port, i) => `  server r${i + 1} 127.0.0.1:${port} check`).join('\n')}
`;
}

/** Runs HAProxy in the foreground with `config` written to `dir`. */
export function startHaproxy(path: string, dir: string, config: string): ChildProcess {
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  return spawn(path, ['-f', file, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Resolves once HAProxy has a replica up: anything but its own 503 at `path`. */
export async function balancerReady(url: string, path = '/readyz'): Promise<void> {
  const up = (response: Response): boolean => response.status !== 503;
  while (!(await fetch(`${url}${path}`).then(up, () => false)))
    await new Promise((resolve) => setTimeout(resolve, 100));
}
