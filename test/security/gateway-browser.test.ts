/**
 * Attack: a web page the user opens posts to the loopback gateway ("Please cancel order 37129"), as a simple
 * request (`text/plain`, no preflight) or through DNS rebinding (`Host: evil.example`). Foreign Host or Origin
 * headers get 403 and anything but a JSON body 415, before the gateway calls upstream or runs a tool. And a
 * request that passes those checks still cannot run a destructive MCP tool the configuration does not allow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalToolset } from '../../bridge/index.js';
import { startGateway, upstreamFrom, type Gateway } from '../../src/gateway/index.js';
import { converseAnswer, rawRequest, startListener, type Heard, type Listener } from './gateway-raw-http.js';

const TARGET = `/model/${encodeURIComponent('anthropic.claude-3-haiku-20240307-v1:0')}/converse`;
const BODY = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Please cancel order 37129' }] }] });

let upstream: Listener;
let ran = 0;
let gateway: Gateway;
let named: Gateway;

/** The model asks for cancel_order when the prompt says so, then answers in words. */
function model(heard: Heard): object {
  const body = JSON.parse(heard.body) as { messages: { content: { toolResult?: unknown }[] }[] };
  const last = body.messages.at(-1)?.content[0];
  if (heard.body.includes('Please cancel order 37129') && !last?.toolResult) {
    return {
      output: {
        message: {
          role: 'assistant',
          content: [{ toolUse: { toolUseId: 't1', name: 'cancel_order', input: { order_id: '37129' } } }],
        },
      },
      stopReason: 'tool_use',
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      metrics: { latencyMs: 1 },
    };
  }
  return converseAnswer();
}

beforeAll(async () => {
  upstream = await startListener(model);
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

  it(
    'takes an InvokeModel body as the SDKs send it without contentType: ' +
      "octet-stream, or boto3's none without Origin",
    async () => {
      const invoke = `/model/${encodeURIComponent('anthropic.claude-3-haiku-20240307-v1:0')}/invoke`;
      const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [] });
      const cases: [string, Record<string, string | undefined>, number][] = [
        // A page's Blob body goes without a preflight and without Content-Type, but never without Origin.
        [invoke, { 'content-type': undefined, origin: 'http://localhost:3000' }, 415],
        [TARGET, { 'content-type': undefined }, 415],
        [invoke, { 'content-type': 'text/plain' }, 415],
        [invoke, { 'content-type': undefined }, 200],
        [invoke, { 'content-type': 'application/octet-stream', origin: 'http://localhost:3000' }, 200],
      ];
      for (const [target, headers, status] of cases) {
        const answer = await rawRequest(gateway.url, { target, headers, body });
        expect({ target, headers, status: answer.status }).toEqual({ target, headers, status });
      }
      expect(upstream.requests).toHaveLength(2);
      upstream.requests.length = 0;
    },
  );

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
    // Each asks the model, which asks for cancel_order, which is refused: two model calls, no tool run.
    expect(upstream.requests).toHaveLength(2 * allowed.length);
    expect(ran).toBe(0);
  });

  it('refuses a destructive MCP tool to a request that passes the checks, telling the model why', async () => {
    upstream.requests.length = 0;
    const answer = await rawRequest(gateway.url, { target: TARGET, body: BODY });
    expect(answer.status).toBe(200);
    expect(ran).toBe(0);
    const followUp = JSON.parse(upstream.requests[1]?.body ?? '{}') as { messages: { content: object[] }[] };
    expect(followUp.messages.at(-1)?.content).toEqual([
      {
        toolResult: {
          toolUseId: 't1',
          content: [
            {
              text:
                "This gateway's policy refused the call to cancel_order; no user was asked and it did not run. " +
                'local/cancel_order can change data, and the gateway runs such tools only when its operator allows ' +
                'them with "approval": "never" on the "local" server in the gateway\'s MCP config. ' +
                'Tell the user it was not done; do not retry it.',
            },
          ],
          status: 'error',
        },
      },
    ]);
  });
});
