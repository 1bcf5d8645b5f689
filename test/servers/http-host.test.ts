import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { buildServer } from '../../servers/orders/server.js';
import { SqliteOrdersStore } from '../../servers/orders/sqlite-store.js';
import { type HttpHost, type HttpHostOptions, serveHttp } from '../../servers/shared/http-host.js';
import { call, httpClient } from './mcp-client.js';

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const getOrder = (id: number | string, orderId = '14826') => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'get_order_by_id', arguments: { order_id: orderId } },
});

const hosts: HttpHost[] = [];
const stores: SqliteOrdersStore[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function ordersHost(options: Partial<HttpHostOptions> = {}): Promise<HttpHost> {
  const store = new SqliteOrdersStore(':memory:');
  stores.push(store);
  const host = await serveHttp(() => buildServer({ store }), { host: '127.0.0.1', port: 0, ...options });
  hosts.push(host);
  return host;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { ...MCP_HEADERS, ...headers } });
}

async function initialize(url: string): Promise<string> {
  const response = await post(url, INITIALIZE);
  expect(response.status).toBe(200);
  return response.headers.get('mcp-session-id') as string;
}

describe('Streamable HTTP host, stateful (default)', () => {
  it('answers initialize with a session id and JSON, and requires the id afterwards', async () => {
    const { url } = await ordersHost();
    const response = await post(url, INITIALIZE);
    expect(response.headers.get('content-type')).toBe('application/json');
    const session = response.headers.get('mcp-session-id') as string;
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await response.json()) as { result: { protocolVersion: string } }).result.protocolVersion).toBe(
      '2025-06-18',
    );
    const without = await post(url, getOrder(1));
    expect(without.status).toBe(400);
    expect(await without.text()).toContain('Mcp-Session-Id header is required');
    expect((await post(url, getOrder(1), { 'mcp-session-id': 'no-such-session' })).status).toBe(404);
    const ok = await post(url, getOrder(1), { 'mcp-session-id': session });
    expect(((await ok.json()) as { id: number; result: { structuredContent: unknown } }).id).toBe(1);
  });

  it('closes a session on DELETE: later requests with its id get 404', async () => {
    const host = await ordersHost();
    const session = await initialize(host.url);
    expect(host.sessionCount()).toBe(1);
    const deleted = await fetch(host.url, { method: 'DELETE', headers: { 'mcp-session-id': session } });
    expect(deleted.status).toBe(200);
    expect(host.sessionCount()).toBe(0);
    expect((await post(host.url, getOrder(1), { 'mcp-session-id': session })).status).toBe(404);
  });

  it('expires idle sessions: 500 abandoned sessions are all closed, and their ids answer 404', async () => {
    const host = await ordersHost({ sessionIdleMs: 300 });
    const sessions: string[] = [];
    for (let i = 0; i < 50; i++)
      sessions.push(...(await Promise.all(Array.from({ length: 10 }, () => initialize(host.url)))));
    expect(new Set(sessions).size).toBe(500);
    await vi.waitFor(() => expect(host.sessionCount()).toBe(0), { timeout: 20_000, interval: 100 });
    expect((await post(host.url, getOrder(1), { 'mcp-session-id': sessions[0] as string })).status).toBe(404);
  });

  it('refuses initialize past --max-sessions with 503 and Retry-After, and accepts again once one closes', async () => {
    const host = await ordersHost({ maxSessions: 2, sessionIdleMs: 60_000 });
    const first = await initialize(host.url);
    await initialize(host.url);
    const refused = await post(host.url, INITIALIZE);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.text()).toContain('Too many open sessions');
    // Sessions already open keep working while the table is full.
    expect((await post(host.url, getOrder(1), { 'mcp-session-id': first })).status).toBe(200);
    await fetch(host.url, { method: 'DELETE', headers: { 'mcp-session-id': first } });
    expect((await post(host.url, INITIALIZE)).status).toBe(200);
  });

  it('delivers tools/list_changed on the GET stream to SDK clients', async () => {
    const server = new McpServer({ name: 'dynamic', version: '1' });
    server.registerTool('first', { inputSchema: {} }, async () => ({ content: [{ type: 'text', text: 'one' }] }));
    const host = await serveHttp(() => server, { host: '127.0.0.1', port: 0 });
    hosts.push(host);
    const client = new Client({ name: 'test', version: '1' });
    const changed = new Promise<void>((resolve) =>
      client.setNotificationHandler(ToolListChangedNotificationSchema, async () => resolve()),
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(host.url)));
    // The GET stream opens after initialization; wait until the server holds it.
    await vi.waitFor(async () => {
      server.registerTool(`probe${Math.random()}`, { inputSchema: {} }, async () => ({ content: [] }));
      await Promise.race([changed, new Promise((_, reject) => setTimeout(() => reject(new Error('not yet')), 200))]);
    });
    expect((await client.listTools()).tools.length).toBeGreaterThan(1);
    await client.close();
  });
});

describe('Streamable HTTP host, stateless', () => {
  it('keeps no session: no id is issued and calls need no initialize', async () => {
    const host = await ordersHost({ stateless: true });
    const init = await post(host.url, INITIALIZE);
    expect(init.status).toBe(200);
    expect(init.headers.get('mcp-session-id')).toBeNull();
    const result = (await (await post(host.url, getOrder(7))).json()) as {
      id: number;
      result: { structuredContent: { status: string } };
    };
    expect(result).toMatchObject({ id: 7, result: { structuredContent: { status: 'Shipped' } } });
    expect(host.sessionCount()).toBe(0);
    expect((await fetch(host.url, { headers: { accept: 'text/event-stream' } })).status).toBe(405);
  });

  it('answers clients that pick the same request ids concurrently with their own results', async () => {
    const host = await ordersHost({ stateless: true });
    const orders = ['14826', '13579', '19283', '47652', '28164', '67530', '37129', '59317'];
    const replies = await Promise.all(
      orders.map(async (orderId) => (await (await post(host.url, getOrder(1, orderId))).json()) as never),
    );
    expect(replies.map((r: { id: number; result: { structuredContent: { id: string } } }) => r.id)).toEqual(
      orders.map(() => 1),
    );
    expect(
      replies.map((r: { result: { structuredContent: { id: string } } }) => r.result.structuredContent.id),
    ).toEqual(orders);
  });

  it('works with the SDK client and with our hub-style client over and over (no per-request state left)', async () => {
    const host = await ordersHost({ stateless: true });
    for (let i = 0; i < 3; i++) {
      const client = await httpClient(host.url);
      expect((await call(client, 'get_order_by_id', { order_id: '14826' })).structured?.['product']).toBe('Backpack');
      await client.close();
    }
  });
});

describe('Streamable HTTP host, protocol details', () => {
  it('answers a JSON-RPC batch (2025-03-26) with an array in order', async () => {
    const host = await ordersHost({ stateless: true });
    const response = await post(host.url, [getOrder('a', '14826'), getOrder('b', '13579')]);
    const replies = (await response.json()) as { id: string }[];
    expect(replies.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('switches a reply to SSE when the tool reports progress, and the client receives it', async () => {
    const server = new McpServer({ name: 'progress', version: '1' });
    server.registerTool('slow', { inputSchema: {} }, async (_args, extra) => {
      const token = extra._meta?.progressToken;
      if (token !== undefined)
        for (const progress of [1, 2])
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken: token, progress, total: 2 },
          });
      return { content: [{ type: 'text', text: 'done' }] };
    });
    const host = await serveHttp(() => server, { host: '127.0.0.1', port: 0, stateless: true });
    hosts.push(host);
    const client = await httpClient(host.url);
    const seen: number[] = [];
    const result = await client.callTool({ name: 'slow', arguments: {} }, undefined, {
      onprogress: (p) => seen.push(p.progress),
    });
    expect(seen).toEqual([1, 2]);
    expect(result.content).toEqual([{ type: 'text', text: 'done' }]);
    await client.close();
  });

  it('cancels the tool call when the client goes away (its AbortSignal fires)', async () => {
    const server = new McpServer({ name: 'hang', version: '1' });
    let aborted: () => void = () => {};
    const wasAborted = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    let running: () => void = () => {};
    const isRunning = new Promise<void>((resolve) => {
      running = resolve;
    });
    server.registerTool('hang', { inputSchema: {} }, async (_args, extra) => {
      running();
      await new Promise<void>((resolve) => extra.signal.addEventListener('abort', () => resolve()));
      aborted();
      return { content: [] };
    });
    const host = await serveHttp(() => server, { host: '127.0.0.1', port: 0, stateless: true });
    hosts.push(host);
    const controller = new AbortController();
    const request = fetch(host.url, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'hang', arguments: {} } }),
      signal: controller.signal,
    }).catch(() => undefined);
    await isRunning;
    controller.abort();
    await request;
    await wasAborted;
  });

  it('rejects malformed requests with the status the specification names', async () => {
    const host = await ordersHost({ stateless: true });
    const raw = (body: string, headers: Record<string, string>) => fetch(host.url, { method: 'POST', body, headers });
    expect((await raw('{not json', MCP_HEADERS)).status).toBe(400);
    expect(((await (await raw('{not json', MCP_HEADERS)).json()) as { error: { code: number } }).error.code).toBe(
      -32700,
    );
    expect((await raw('{"hello":1}', MCP_HEADERS)).status).toBe(400);
    expect((await raw(JSON.stringify(getOrder(1)), { ...MCP_HEADERS, 'content-type': 'text/plain' })).status).toBe(415);
    expect((await raw(JSON.stringify(getOrder(1)), { ...MCP_HEADERS, accept: 'application/json' })).status).toBe(406);
    expect((await raw('x'.repeat(5 * 1024 * 1024), MCP_HEADERS)).status).toBe(413);
    const version = await raw(JSON.stringify(getOrder(1)), { ...MCP_HEADERS, 'mcp-protocol-version': '1999-01-01' });
    expect(version.status).toBe(400);
    expect(await version.text()).toContain('Unsupported protocol version');
    expect((await post(host.url, { jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
    expect((await fetch(host.url.replace('/mcp', '/other'))).status).toBe(404);
  });
});

describe('Streamable HTTP host, health and shutdown', () => {
  it('answers /healthz, and /readyz from the readiness check', async () => {
    let databaseUp = true;
    const host = await ordersHost({
      ready: async () => {
        if (!databaseUp) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
    });
    const base = host.url.replace('/mcp', '');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', sessions: 0, inFlight: 0 });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    databaseUp = false;
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable', reason: 'connect ECONNREFUSED 127.0.0.1:5432' });
  });

  it('drains on shutdown: the in-flight call finishes, then the port closes', async () => {
    const server = new McpServer({ name: 'slow', version: '1' });
    let release: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      server.registerTool('slow', { inputSchema: { n: z.number() } }, async ({ n }) => {
        resolve();
        await new Promise<void>((done) => {
          release = done;
        });
        return { content: [{ type: 'text', text: `finished ${n}` }] };
      });
    });
    const host = await serveHttp(() => server, { host: '127.0.0.1', port: 0, stateless: true });
    const inFlight = post(host.url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'slow', arguments: { n: 1 } },
    });
    await started;
    const stopped = host.shutdown(30_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    const reply = (await (await inFlight).json()) as { result: { content: { text: string }[] } };
    expect(reply.result.content[0]?.text).toBe('finished 1');
    await stopped;
    await expect(fetch(host.url.replace('/mcp', '/healthz'))).rejects.toThrow();
  });
});
