import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { McpHub } from '../../bridge/index.js';
import { failureKind, retryToolCall, sessionGone } from '../../bridge/mcp/call-retry.js';
import { buildServer } from '../../servers/orders/server.js';
import { SqliteOrdersStore } from '../../servers/orders/sqlite-store.js';
import { type HttpHost, serveHttp } from '../../servers/shared/http-host.js';

// What the SDK's Streamable HTTP transport throws for a refused POST.
const httpError = (status: number) =>
  new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, `Error POSTing to endpoint: ${status}`, {
    status,
    statusText: '',
    text: '',
  });
const socketError = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
const policy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

describe('tool-call retry policy', () => {
  it('tells failures where the call never ran from those where it may have', () => {
    expect(failureKind(httpError(503))).toBe('not-run');
    expect(failureKind(httpError(429))).toBe('not-run');
    expect(failureKind(socketError('ECONNREFUSED'))).toBe('not-run');
    expect(failureKind(httpError(502))).toBe('may-have-run');
    expect(failureKind(httpError(504))).toBe('may-have-run');
    expect(failureKind(socketError('ECONNRESET'))).toBe('may-have-run');
    expect(failureKind(httpError(400))).toBe('final');
    expect(failureKind(httpError(404))).toBe('final');
    expect(failureKind(new Error('MCP error -32001: Request timed out'))).toBe('final');
  });

  it('retries a call that never ran, and one that may have run only when the tool is repeatable', async () => {
    const failing = (errors: Error[]) => {
      let n = 0;
      return async () => {
        const error = errors[n++];
        if (error) throw error;
        return n;
      };
    };
    await expect(
      retryToolCall(failing([httpError(503), socketError('ECONNREFUSED')]), { policy, repeatable: false }),
    ).resolves.toBe(3);
    await expect(retryToolCall(failing([httpError(502)]), { policy, repeatable: false })).rejects.toThrow('502');
    await expect(retryToolCall(failing([httpError(502), httpError(504)]), { policy, repeatable: true })).resolves.toBe(
      3,
    );
    await expect(retryToolCall(failing([httpError(400)]), { policy, repeatable: true })).rejects.toThrow('400');
    const always = failing(Array.from({ length: 10 }, () => httpError(503)));
    await expect(retryToolCall(always, { policy, repeatable: true })).rejects.toThrow('503');
  });

  it('stops retrying once the caller aborts', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const attempt = async () => {
      attempts++;
      controller.abort();
      throw httpError(503);
    };
    await expect(retryToolCall(attempt, { policy, repeatable: true, signal: controller.signal })).rejects.toThrow(
      '503',
    );
    expect(attempts).toBe(1);
  });
});

/** A front for the host that, for the next `drops` cancel_order calls, forwards the call and then answers 502. */
async function lossyProxy(target: string): Promise<{ url: string; drops: number; server: Server }> {
  const state = { url: '', drops: 0, server: createServer() };
  state.server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const forward = request(target, { method: req.method, headers: req.headers }, (upstream) => {
        const replyChunks: Buffer[] = [];
        upstream.on('data', (chunk: Buffer) => replyChunks.push(chunk));
        upstream.on('end', () => {
          if (body.includes('"cancel_order"') && state.drops > 0) {
            state.drops--;
            res.writeHead(502).end('bad gateway');
            return;
          }
          res.writeHead(upstream.statusCode ?? 500, upstream.headers).end(Buffer.concat(replyChunks));
        });
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/mcp`;
  return state;
}

describe('McpHub retries through a lossy front', () => {
  let host: HttpHost | undefined;
  let store: SqliteOrdersStore | undefined;
  let proxy: Server | undefined;
  afterEach(async () => {
    await host?.close();
    await store?.close();
    proxy?.close();
  });

  it('a cancel whose reply was lost is retried and answered as the success it was (idempotency key)', async () => {
    store = new SqliteOrdersStore(':memory:');
    const backing = store;
    host = await serveHttp(() => buildServer({ store: backing }), { host: '127.0.0.1', port: 0, stateless: true });
    const front = await lossyProxy(host.url);
    proxy = front.server;
    const hub = new McpHub([{ name: 'orders', transport: 'http', url: front.url }]);
    await hub.start();
    front.drops = 1;
    const result = await hub.callTool('orders', 'cancel_order', { order_id: '37129' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ order_id: '37129', status: 'Cancelled' });
    expect(front.drops).toBe(0);
    // A different call (another key) is told the truth: the order is already cancelled.
    const again = await hub.callTool('orders', 'cancel_order', { order_id: '37129' });
    expect(again.isError).toBe(true);
    await hub.close();
  });

  it('with retry off, the lost reply surfaces as a failed call', async () => {
    store = new SqliteOrdersStore(':memory:');
    const backing = store;
    host = await serveHttp(() => buildServer({ store: backing }), { host: '127.0.0.1', port: 0, stateless: true });
    const front = await lossyProxy(host.url);
    proxy = front.server;
    const hub = new McpHub([{ name: 'orders', transport: 'http', url: front.url }], { retry: false });
    await hub.start();
    front.drops = 1;
    await expect(hub.callTool('orders', 'cancel_order', { order_id: '37129' })).rejects.toMatchObject({
      code: 'MCP_CALL_FAILED',
    });
    expect((await backing.getOrder('37129'))?.status).toBe('Cancelled');
    await hub.close();
  });
});

describe('McpHub and a stateful server that forgot the session', () => {
  it('initializes a new session on 404 and runs the call there (server restarted on the same port)', async () => {
    expect(sessionGone(httpError(404))).toBe(true);
    expect(sessionGone(httpError(400))).toBe(false);
    const store = new SqliteOrdersStore(':memory:');
    const first = await serveHttp(() => buildServer({ store }), { host: '127.0.0.1', port: 0 });
    const hub = new McpHub([{ name: 'orders', transport: 'http', url: first.url }]);
    await hub.start();
    expect((await hub.callTool('orders', 'get_order_by_id', { order_id: '14826' })).isError).toBeFalsy();
    await first.close();
    // Same port, no sessions: the hub's session id is unknown there.
    const second = await serveHttp(() => buildServer({ store }), { host: '127.0.0.1', port: first.port });
    try {
      const result = await hub.callTool('orders', 'get_order_by_id', { order_id: '14826' });
      expect(result.structuredContent).toMatchObject({ id: '14826', product: 'Backpack' });
      expect(second.sessionCount()).toBeGreaterThanOrEqual(1);
    } finally {
      await hub.close();
      await second.close();
      await store.close();
    }
  });
});
