/**
 * Streamable HTTP hosting on plain node:http (docs/deploy.md): the MCP endpoint at `/mcp`, `/healthz` (the process
 * answers; open sessions and requests in flight) and `/readyz` (its dependencies answer; 503 while draining), and the
 * OAuth protected-resource metadata. Requests to `/mcp` must name this server in `Host` and `Origin` (DNS-rebinding
 * defence) and, when the host was given authentication, carry a valid bearer token. `shutdown()` drains: it stops
 * accepting, lets in-flight calls finish, then closes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type Authenticator, createAuthenticator } from './http-auth.js';
import { HostGuard } from './host-guard.js';
import { McpEndpoint, sendError } from './mcp-endpoint.js';

/** A running host. */
export interface HttpHost {
  /** The MCP endpoint as this process listens on it. */
  url: string;
  port: number;
  /** Open sessions (always 0 when stateless). */
  sessionCount(): number;
  /** Stops accepting, waits up to `timeoutMs` for in-flight requests, then closes every connection. */
  shutdown(timeoutMs?: number): Promise<void>;
  /** Closes at once (in-flight requests are cut). */
  close(): Promise<void>;
}

/** Options of {@link serveHttp}; only `host` and `port` are required. */
export interface HttpHostOptions {
  host: string;
  port: number;
  stateless?: boolean;
  /** Stateful mode: a session idle this long is closed (default 30 minutes). */
  sessionIdleMs?: number;
  /** Stateful mode: open sessions at most (default 10,000); initialize beyond it gets 503 + Retry-After. */
  maxSessions?: number;
  /** Bearer tokens from a file and/or JWTs from an OAuth issuer. */
  auth?: { tokenFile?: string | undefined; oauthIssuer?: string | undefined; jwksUrl?: string | undefined };
  /** The endpoint URL clients use (behind a proxy): the tokens' audience and an accepted Host. */
  publicUrl?: string | undefined;
  allowedHosts?: readonly string[] | undefined;
  allowedOrigins?: readonly string[] | undefined;
  /** Readiness of what the server depends on (e.g. a database ping); `/readyz` answers 503 when it throws. */
  ready?: () => Promise<void>;
}

const MCP_PATH = '/mcp';
const METADATA_PATH = '/.well-known/oauth-protected-resource';

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Serves `build()`'s server (built once, shared by every session) over Streamable HTTP. */
export async function serveHttp(build: () => McpServer, options: HttpHostOptions): Promise<HttpHost> {
  const endpoint = await McpEndpoint.connect(build(), {
    stateless: options.stateless ?? false,
    sessionIdleMs: options.sessionIdleMs ?? 30 * 60_000,
    maxSessions: options.maxSessions ?? 10_000,
  });
  const guard = new HostGuard({
    bindHost: options.host,
    allowedHosts: options.allowedHosts,
    allowedOrigins: options.allowedOrigins,
    publicUrl: options.publicUrl,
  });
  const authRequired = options.auth?.tokenFile !== undefined || options.auth?.oauthIssuer !== undefined;
  let auth: Authenticator | undefined;
  let draining = false;

  const ready = async (res: ServerResponse) => {
    if (draining) return json(res, 503, { status: 'draining' });
    try {
      await options.ready?.();
      json(res, 200, { status: 'ready' });
    } catch (error) {
      json(res, 503, { status: 'unavailable', reason: (error as Error).message });
    }
  };

  const mcp = (req: IncomingMessage, res: ServerResponse) => {
    if (!guard.hostAllowed(req.headers.host))
      return sendError(res, 403, -32000, `Forbidden: Host "${req.headers.host ?? ''}" is not this server's`);
    if (!guard.originAllowed(req.headers.origin))
      return sendError(res, 403, -32000, `Forbidden: Origin "${req.headers.origin}" is not allowed`);
    if (draining)
      return sendError(res, 503, -32000, 'Shutting down: retry on another replica', {
        'retry-after': '1',
        connection: 'close',
      });
    if (!authRequired) return endpoint.handle(req, res);
    // The authenticator needs the listening URL (its resource id), so it is built just after listen().
    if (!auth) return sendError(res, 503, -32000, 'Starting up: retry shortly', { 'retry-after': '1' });
    auth.check(req.headers.authorization).then(
      (outcome) => {
        if (outcome.ok) return endpoint.handle(req, res, outcome.info);
        req.resume();
        sendError(res, 401, -32001, `Unauthorized: ${outcome.message}`, {
          'www-authenticate': outcome.wwwAuthenticate,
        });
      },
      (error: unknown) => sendError(res, 500, -32603, (error as Error).message),
    );
  };

  const server: Server = createServer((req, res) => {
    const path = pathOf(req.url);
    if (path === MCP_PATH) return mcp(req, res);
    if (req.method === 'GET' && path === '/healthz')
      return json(res, 200, { status: 'ok', sessions: endpoint.sessionCount, inFlight: endpoint.inFlight });
    if (req.method === 'GET' && path === '/readyz') return void ready(res);
    if (req.method === 'GET' && auth?.metadata && (path === METADATA_PATH || path === `${METADATA_PATH}${MCP_PATH}`))
      return json(res, 200, auth.metadata, { 'access-control-allow-origin': '*' });
    sendError(res, 404, -32000, `Not found: the MCP endpoint is ${MCP_PATH}`);
  });
  // Longer than a load balancer's idle timeout, so the balancer, not us, closes an idle kept-alive connection
  // (otherwise it may reuse one we are closing and answer 502).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${hostPart}:${port}${MCP_PATH}`;
  const closeNow = async (): Promise<void> => {
    endpoint.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  if (authRequired) {
    try {
      auth = await createAuthenticator({ ...options.auth, resourceUrl: options.publicUrl ?? url });
    } catch (error) {
      await closeNow();
      throw error;
    }
  }
  return {
    url,
    port,
    sessionCount: () => endpoint.sessionCount,
    close: closeNow,
    shutdown: async (timeoutMs = 10_000) => {
      draining = true;
      server.close();
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        endpoint.drained(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      await closeNow();
    },
  };
}
