/**
 * Streamable HTTP hosting on plain node:http: `POST/GET/DELETE /mcp`, one MCP server instance per session.
 * Binds loopback by default and refuses foreign Host/Origin headers, the DNS-rebinding defence the MCP
 * specification asks of local servers.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface HttpHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOCAL_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

function hostnameOf(value: string): string {
  return value.startsWith('[') ? value.slice(0, value.indexOf(']') + 1) : (value.split(':')[0] ?? '');
}

/** Local servers accept only local Host and Origin values (any port). */
function allowed(req: IncomingMessage, bindHost: string): boolean {
  const names = new Set(LOCAL_NAMES).add(bindHost);
  const host = req.headers.host;
  if (!host || !names.has(hostnameOf(host))) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return names.has(new URL(origin).hostname) || names.has(`[${new URL(origin).hostname}]`);
  } catch {
    return false;
  }
}

function reject(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

export async function serveHttp(build: () => McpServer, options: { host: string; port: number }): Promise<HttpHost> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowed(req, options.host)) return reject(res, 403, 'Forbidden: foreign Host or Origin header');
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/mcp')
      return reject(res, 404, 'Not found: the MCP endpoint is /mcp');
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (existing) return existing.handleRequest(req, res);
    if (sessionId !== undefined) return reject(res, 404, 'Unknown or expired session');
    if (req.method !== 'POST') return reject(res, 400, 'Start a session with an initialize POST');
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await build().connect(transport);
    await transport.handleRequest(req, res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reject(res, 500, (error as Error).message);
    });
  });
  await new Promise<void>((resolve, reject_) => {
    server.once('error', reject_);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostPart}:${port}/mcp`,
    port,
    close: async () => {
      await Promise.allSettled([...sessions.values()].map((t) => t.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
