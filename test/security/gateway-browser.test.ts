/**
 * Attack: a web page the user opens posts to the loopback gateway ("Please cancel order 37129"), as a simple
 * request (`text/plain`, no preflight) or through DNS rebinding (`Host: evil.example`). Foreign Host or Origin
 * headers get 403 and anything but a JSON body 415, before the gateway calls upstream or runs a tool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalToolset } from '../../bridge/index.js';
import { startGateway, upstreamFrom, type Gateway } from '../../src/gateway/index.js';
import { converseAnswer, rawRequest, startListener, type Listener } from './gateway-raw-http.js';

const TARGET = `/model/${encodeURIComponent('anthropic.claude-3-haiku-20240307-v1:0')}/converse`;
const BODY = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Please cancel order 37129' }] }] });

let upstream: Listener;
let ran = 0;
let gateway: Gateway;
let named: Gateway;

beforeAll(async () => {
  upstream = await startListener(converseAnswer);
  const toolset = new LocalToolset([
    {
      name: 'cancel_order',
      description: 'Cancels an order.',
      inputSchema: { type: 'object' },
      run: async () => {
        ran++;
        return 'cancelled';
      },
    },
  ]);
  const options = { port: 0, upstream: upstreamFrom({ endpoint: upstream.url }), toolset };
  gateway = await startGateway(options);
  named = await startGateway({ ...options, allowedHosts: ['gateway.internal'] });
});
afterAll(async () => {
  await gateway.close();
  await named.close();
  await upstream.close();
});

describe('a web page cannot use the loopback gateway', () => {
  it('refuses foreign Host and Origin headers with 403 and unsupported content types with 415', async () => {
    const port = new URL(gateway.url).port;
    const cases: [Record<string, string>, number][] = [
      [{ host: 'evil.example', origin: 'http://evil.example', 'content-type': 'text/plain' }, 403],
      [{ host: `evil.example:${port}` }, 403],
      [{ host: `127.0.0.1.evil.example:${port}` }, 403],
      [{ origin: 'http://evil.example' }, 403],
      [{ origin: 'null' }, 403],
      [{ origin: `http://localhost.evil.example:${port}` }, 403],
      [{ 'content-type': 'text/plain' }, 415],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 415],
      [{ 'content-type': 'multipart/form-data; boundary=x' }, 415],
      [{ 'content-type': '' }, 415],
    ];
    for (const [headers, status] of cases) {
      const answer = await rawRequest(gateway.url, { target: TARGET, headers, body: BODY });
      expect({ headers, status: answer.status }).toEqual({ headers, status });
      expect(answer.headers['x-amzn-errortype']).toMatch(status === 403 ? /^AccessDeniedException/ : /^Validation/);
    }
    expect(upstream.requests).toEqual([]);
    expect(ran).toBe(0);
  });

  it('answers local pages, SDKs (no Origin) and configured host names', async () => {
    const port = new URL(gateway.url).port;
    const allowed: [Gateway, Record<string, string>][] = [
      [gateway, {}],
      [gateway, { host: `localhost:${port}`, origin: 'http://localhost:3000' }],
      [gateway, { 'content-type': 'application/json; charset=utf-8' }],
      [named, { host: 'gateway.internal:443', origin: 'https://gateway.internal' }],
    ];
    for (const [target, headers] of allowed) {
      const answer = await rawRequest(target.url, { target: TARGET, headers, body: BODY });
      expect({ headers, status: answer.status }).toEqual({ headers, status: 200 });
    }
    expect(upstream.requests).toHaveLength(allowed.length);
  });
});
