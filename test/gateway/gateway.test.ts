import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOP_SONG } from '../support/top-song.js';
import { HubToolset, McpHub } from '../../bridge/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startGateway, upstreamFrom, type Gateway } from '../../src/gateway/index.js';
import { bundledServers } from '../bridge/servers.js';
import { rawRequest, startListener } from '../security/gateway-raw-http.js';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

let emulator: Emulator;
let hub: McpHub;
let gateway: Gateway;
let plain: Gateway;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  hub = new McpHub(bundledServers(['orders']));
  await hub.start();
  const upstream = upstreamFrom({
    endpoint: emulator.url,
    credentials: { accessKeyId: 'GATEWAYKEY', secretAccessKey: 'gateway-secret' },
  });
  gateway = await startGateway({ port: 0, upstream, toolset: new HubToolset(hub), exposeToolTraffic: true });
  plain = await startGateway({ port: 0, upstream });
});
afterAll(async () => {
  await gateway.close();
  await plain.close();
  await hub.close();
  await emulator.close();
});

function client(url: string, http2 = false, accessKeyId = 'dummy'): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'dummy' },
    maxAttempts: 1,
    ...(http2 && { requestHandler: new NodeHttp2Handler() }),
  });
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('expected a failure');
}

describe.each([false, true])('gateway with the unmodified AWS SDK (HTTP/2: %s)', (http2) => {
  it("keeps the client's own tool: the client runs top_song and gets the answer", async () => {
    const bedrock = client(gateway.url, http2);
    const ask: Message[] = [{ role: 'user', content: [{ text: 'What is the most popular song on WZPZ?' }] }];
    const first = await bedrock.send(
      new ConverseCommand({ modelId: MODEL, messages: ask, toolConfig: { tools: [TOP_SONG] } }),
    );
    expect(first.stopReason).toBe('tool_use');
    const use = first.output?.message?.content?.find((b) => b.toolUse)?.toolUse;
    expect(use?.name).toBe('top_song');
    const messages: Message[] = [
      ...ask,
      first.output?.message as Message,
      {
        role: 'user',
        content: [
          {
            toolResult: {
              toolUseId: use?.toolUseId,
              content: [{ json: { song: 'Elemental Hotel', artist: '8 Storey Hike' } }],
            },
          },
        ],
      },
    ];
    const second = await bedrock.send(
      new ConverseCommand({ modelId: MODEL, messages, toolConfig: { tools: [TOP_SONG] } }),
    );
    expect(second.output?.message?.content?.[0]?.text).toBe(
      'The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.',
    );
    bedrock.destroy();
  });

  it('answers a question that needs an injected MCP tool in one client call, streamed and not', async () => {
    const bedrock = client(gateway.url, http2);
    const input = {
      modelId: MODEL,
      messages: [{ role: 'user' as const, content: [{ text: 'my order is 14826' }] }],
      toolConfig: { tools: [TOP_SONG] },
    };
    const answer = await bedrock.send(new ConverseCommand(input));
    expect(answer.output?.message?.content?.[0]?.text).toBe(
      'Order 14826 for Márcia Oliveria (678902): 1 × Backpack at $59.99, status Shipped.',
    );
    expect(answer.usage?.totalTokens).toBeGreaterThan(3 * (answer.usage?.outputTokens ?? 0));
    const streamed = await bedrock.send(new ConverseStreamCommand(input));
    let text = '';
    for await (const event of streamed.stream ?? []) text += event.contentBlockDelta?.delta?.text ?? '';
    expect(text).toBe('Order 14826 for Márcia Oliveria (678902): 1 × Backpack at $59.99, status Shipped.');
    bedrock.destroy();
  });
});

describe('gateway errors, retries, pass-through and auth', () => {
  it('relays upstream errors as the same Bedrock exception', async () => {
    const bedrock = client(gateway.url);
    const invalid = await failure(
      bedrock.send(
        new ConverseCommand({ modelId: MODEL, messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] }),
      ),
    );
    expect(invalid).toEqual({
      name: 'ValidationException',
      message:
        'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    });
    bedrock.destroy();
  });

  it(
    'answers a body the loop cannot run (not JSON, null, no ' + "messages) with Bedrock's own error, with MCP tools",
    async () => {
      const target = `/model/${encodeURIComponent(MODEL)}/converse`;
      for (const [body, message] of [
        ['{"messages": [', 'Unable to parse the request body as JSON.'],
        ['null', 'messages'],
        ['{"system": []}', 'messages'],
      ]) {
        const answer = await rawRequest(gateway.url, { target, body });
        expect(answer.status).toBe(400);
        expect(answer.headers['x-amzn-errortype']).toMatch(/^ValidationException/);
        expect(JSON.parse(answer.body).message).toContain(message);
      }
    },
  );

  it('sends upstream the request fields it does not model, with MCP tools added', async () => {
    const bedrock = client(gateway.url);
    const requestMetadata = { team: 'checkout', ticket: 'OPS-17' };
    const answer = await bedrock.send(
      new ConverseCommand({
        modelId: MODEL,
        messages: [{ role: 'user', content: [{ text: 'my order is 14826' }] }],
        requestMetadata,
      }),
    );
    expect(answer.output?.message?.content?.[0]?.text).toContain('Márcia Oliveria');
    // Both model calls of the gateway's loop (the order lookup, then the answer) carried the client's metadata.
    const upstream = emulator.requests
      .slice(-2)
      .map((r) => r.body as { requestMetadata?: unknown; toolConfig?: { tools: unknown[] } });
    expect(upstream.map((body) => body.requestMetadata)).toEqual([requestMetadata, requestMetadata]);
    expect(upstream.every((body) => (body.toolConfig?.tools ?? []).length > 0)).toBe(true);
    bedrock.destroy();
  });

  it('retries upstream throttling before answering', async () => {
    emulator.faults.push({ kind: 'throttle' });
    const bedrock = client(gateway.url);
    const answer = await bedrock.send(
      new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'my order is 32057' }] }] }),
    );
    expect(answer.output?.message?.content?.[0]?.text).toContain('Terry Whitlock');
    bedrock.destroy();
  });

  it('relays requests, event streams and errors unchanged when no MCP servers are configured', async () => {
    const bedrock = client(plain.url, true);
    const response = await bedrock.send(
      new ConverseStreamCommand({
        modelId: MODEL,
        messages: [{ role: 'user', content: [{ text: 'What is the most popular song on WZPZ?' }] }],
        toolConfig: { tools: [TOP_SONG] },
      }),
    );
    let input = '';
    for await (const event of response.stream ?? []) input += event.contentBlockDelta?.delta?.toolUse?.input ?? '';
    expect(JSON.parse(input)).toEqual({ sign: 'WZPZ' });
    const error = await failure(
      bedrock.send(
        new ConverseCommand({
          modelId: 'deepseek.r1-v1:0',
          messages: [{ role: 'user', content: [{ text: 'x' }] }],
          toolConfig: { tools: [TOP_SONG] },
        }),
      ),
    );
    expect(error).toEqual({ name: 'ValidationException', message: "This model doesn't support tool use." });
    bedrock.destroy();
  });

  it("never forwards the client's credentials, relayed or with MCP tools, SigV4 or Bearer", async () => {
    const capture = await startListener();
    const own = { accessKeyId: 'GATEWAYKEY', secretAccessKey: 'gateway-secret', sessionToken: 'GATEWAY-TOKEN' };
    const upstream = upstreamFrom({ endpoint: capture.url, credentials: own });
    const gateways = [
      await startGateway({ port: 0, upstream }),
      await startGateway({ port: 0, upstream, toolset: new HubToolset(hub) }),
    ];
    const secrets = ['CLIENTKEYID', 'client-secret', 'CLIENT-SESSION-TOKEN', 'ABSKclientsownapikey'];
    for (const down of gateways) {
      const bedrock = new BedrockRuntimeClient({
        endpoint: down.url,
        region: 'us-east-1',
        credentials: {
          accessKeyId: 'CLIENTKEYID',
          secretAccessKey: 'client-secret',
          sessionToken: 'CLIENT-SESSION-TOKEN',
        },
        maxAttempts: 1,
      });
      await bedrock.send(
        new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
      );
      bedrock.destroy();
      const bearer = await rawRequest(down.url, {
        target: `/model/${encodeURIComponent(MODEL)}/converse`,
        headers: { authorization: 'Bearer ABSKclientsownapikey' },
        body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
      });
      expect(bearer.status).toBe(200);
      await down.close();
    }
    expect(capture.requests).toHaveLength(4);
    for (const { headers } of capture.requests) {
      expect(headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=GATEWAYKEY\/\d{8}\/us-east-1\/bedrock\//);
      expect(headers['x-amz-security-token']).toBe('GATEWAY-TOKEN');
      const sent = JSON.stringify(headers);
      for (const secret of secrets) expect(sent).not.toContain(secret);
    }
    await capture.close();
  });

  it('answers ServiceUnavailableException when upstream cannot be reached, relayed or with MCP tools', async () => {
    const nowhere = upstreamFrom({
      endpoint: 'http://127.0.0.1:1',
      credentials: { accessKeyId: 'G', secretAccessKey: 'S' },
    });
    const gateways = [
      await startGateway({ port: 0, upstream: nowhere }),
      await startGateway({ port: 0, upstream: nowhere, toolset: new HubToolset(hub) }),
    ];
    for (const down of gateways) {
      const bedrock = client(down.url);
      const error = await failure(
        bedrock.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })),
      );
      expect(error.name).toBe('ServiceUnavailableException');
      expect(error.message).toContain('The gateway could not reach upstream: connect ECONNREFUSED 127.0.0.1:1');
      bedrock.destroy();
      await down.close();
    }
  });

  it('accepts only configured keys when it has any', async () => {
    const locked = await startGateway({
      port: 0,
      upstream: upstreamFrom({ endpoint: emulator.url, credentials: { accessKeyId: 'G', secretAccessKey: 'S' } }),
      keys: { accessKeys: [{ accessKeyId: 'TEAMKEY1', secretAccessKey: 'team-secret-0123456789' }] },
    });
    const stranger = client(locked.url);
    expect(
      await failure(
        stranger.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })),
      ),
    ).toMatchObject({ name: 'AccessDeniedException' });
    const teammate = new BedrockRuntimeClient({
      endpoint: locked.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'TEAMKEY1', secretAccessKey: 'team-secret-0123456789' },
      maxAttempts: 1,
    });
    expect(
      (
        await teammate.send(
          new ConverseCommand({
            modelId: MODEL,
            messages: [{ role: 'user', content: [{ text: 'I need help with an order' }] }],
          }),
        )
      ).stopReason,
    ).toBe('end_turn');
    stranger.destroy();
    teammate.destroy();
    await locked.close();
    await expect(
      startGateway({ host: '0.0.0.0', port: 0, upstream: upstreamFrom({ endpoint: emulator.url }) }),
    ).rejects.toThrow('give it client keys');
  });
});
