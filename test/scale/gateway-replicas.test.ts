/**
 * The gateway keeps no state of its own (docs/deploy.md): two gateway replicas with the same key file and the same
 * MCP server list (orders over HTTP, stateless) answer the requests of one client in turn, each running the tool
 * itself, and answer /healthz for the load balancer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubToolset, McpHub } from '../../bridge/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { type Gateway, loadClientKeys, startGateway, upstreamFrom } from '../../src/gateway/index.js';
import { buildServer } from '../../servers/orders/server.js';
import { SqliteOrdersStore } from '../../servers/orders/sqlite-store.js';
import { type HttpHost, serveHttp } from '../../servers/shared/http-host.js';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const API_KEY = 'team-api-key-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'gateway-replicas-'));
const keysFile = join(dir, 'keys.json');
writeFileSync(keysFile, JSON.stringify({ apiKeys: [API_KEY] }), { mode: 0o600 });

let emulator: Emulator;
let store: SqliteOrdersStore;
let orders: HttpHost;
const hubs: McpHub[] = [];
const gateways: Gateway[] = [];
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  store = new SqliteOrdersStore(':memory:');
  orders = await serveHttp(() => buildServer({ store }), { host: '127.0.0.1', port: 0, stateless: true });
  const upstream = upstreamFrom({ endpoint: emulator.url, credentials: { accessKeyId: 'GW', secretAccessKey: 'gw' } });
  for (let i = 0; i < 2; i++) {
    const hub = new McpHub([{ name: 'orders', transport: 'http', url: orders.url }]);
    await hub.start();
    hubs.push(hub);
    const keys = await loadClientKeys(keysFile);
    gateways.push(await startGateway({ port: 0, upstream, toolset: new HubToolset(hub), keys }));
  }
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
  await Promise.all(hubs.map((h) => h.close()));
  await orders.close();
  await store.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('gateway replicas', () => {
  it('answer one client in turn from the same key file and MCP server list', async () => {
    const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'my order is 14826' }] }] });
    for (let i = 0; i < 4; i++) {
      const gateway = gateways[i % 2] as Gateway;
      const response = await fetch(`${gateway.url}/model/${MODEL}/converse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body,
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { output: { message: { content: { text?: string }[] } } };
      expect(answer.output.message.content.map((c) => c.text ?? '').join('')).toContain('Backpack');
    }
    expect((await fetch(`${gateways[0]?.url}/model/${MODEL}/converse`, { method: 'POST', body })).status).toBe(403);
  });

  it('answer /healthz without credentials', async () => {
    for (const gateway of gateways) {
      const response = await fetch(`${gateway.url}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    }
  });
});
