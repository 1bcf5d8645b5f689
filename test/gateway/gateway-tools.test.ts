/**
 * The gateway's tool use runs on the bridge's tool loop: destructive MCP tools follow the configured approval
 * policy, a turn mixing client-defined and MCP tools hands the client's calls back, the union cap covers the
 * client's and the MCP tools together, models without native tool use get the MCP tools through prompts, and
 * usage (cache reads and writes included) sums every internal turn.
 */
import { request } from 'node:http';
import { BedrockRuntimeClient, ConverseCommand, type Message, type Tool } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubToolset, LocalToolset, McpHub, type JsonObject } from '../../bridge/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startGateway, upstreamFrom, type Gateway, type GatewayOptions } from '../../src/gateway/index.js';
import { needsApprovalFor } from '../../bridge/entries/config.js';
import { bundledServers } from '../bridge/servers.js';
import { startListener, type Heard } from '../security/gateway-raw-http.js';
import { TOP_SONG } from '../support/top-song.js';

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
const own = { accessKeyId: 'GATEWAYKEY', secretAccessKey: 'gateway-secret' };

let emulator: Emulator;
let hub: McpHub;
const opened: Gateway[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  hub = new McpHub(bundledServers(['orders', 'radio']));
  await hub.start();
});
afterAll(async () => {
  for (const g of opened) await g.close();
  await hub.close();
  await emulator.close();
});

async function gateway(options: Partial<GatewayOptions> & { endpoint?: string } = {}): Promise<Gateway> {
  const { endpoint, ...rest } = options;
  const started = await startGateway({
    port: 0,
    upstream: upstreamFrom({ endpoint: endpoint ?? emulator.url, credentials: own }),
    toolset: new HubToolset(hub),
    exposeToolTraffic: true,
    ...rest,
  });
  opened.push(started);
  return started;
}

function sdk(url: string): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'client', secretAccessKey: 'client' },
    maxAttempts: 1,
  });
}

/** One Converse call through `url`, with the gateway's tool-call report. */
async function converse(
  url: string,
  input: { modelId?: string; messages: Message[]; tools?: Tool[]; system?: string },
) {
  const client = sdk(url);
  let calls: { name: string; server: string; tool: string; status: string }[] = [];
  let headers: Record<string, string> = {};
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      headers = (out.response as { headers: Record<string, string> }).headers;
      const header = headers['x-mcp-bedrock-tool-calls'];
      if (header) calls = JSON.parse(header) as typeof calls;
      return out;
    },
    { step: 'deserialize', name: 'tool-calls-header' },
  );
  try {
    const answer = await client.send(
      new ConverseCommand({
        modelId: input.modelId ?? CLAUDE,
        messages: input.messages,
        ...(input.tools && { toolConfig: { tools: input.tools } }),
        ...(input.system && { system: [{ text: input.system }] }),
      }),
    );
    return { answer, calls, headers, text: answer.output?.message?.content?.map((b) => b.text ?? '').join('') ?? '' };
  } finally {
    client.destroy();
  }
}

const say = (text: string): Message[] => [{ role: 'user', content: [{ text }] }];

describe('gateway tool use on the tool loop', () => {
  it(
    'refuses a destructive MCP tool by default, as an error result the ' +
      'model sees, and runs it when the policy allows',
    async () => {
      const strict = await gateway();
      const refused = await converse(strict.url, { messages: say('Please cancel order 37129') });
      expect(refused.calls.map((c) => [c.tool, c.status])).toEqual([
        ['get_order_by_id', 'success'],
        ['cancel_order', 'denied'],
      ]);
      // The policy refused it, not a user: the model is told so, and what lets an operator allow it.
      expect(refused.text).toContain("Order 37129 was not cancelled: This gateway's policy refused the call to");
      expect(refused.text).not.toContain('The user denied');
      expect(refused.text).toContain(
        'only when its operator allows them with "approval": "never" on the "orders" server',
      );
      expect((await converse(strict.url, { messages: say('my order is 37129') })).text).toContain('status Processing');

      // A server entry that asks for approval of everything: even the read-only lookup is refused.
      const always = await gateway({
        needsApproval: needsApprovalFor([
          { name: 'orders', transport: 'stdio', command: 'unused', approval: 'always' },
        ]),
      });
      const none = await converse(always.url, { messages: say('Please cancel order 37129') });
      expect(none.calls.map((c) => [c.tool, c.status])).toEqual([['get_order_by_id', 'denied']]);

      // The config's "approval": "never" for the server lets the gateway run its destructive tools.
      const trusting = await gateway({
        needsApproval: needsApprovalFor([{ name: 'orders', transport: 'stdio', command: 'unused', approval: 'never' }]),
      });
      const cancelled = await converse(trusting.url, { messages: say('Please cancel order 37129') });
      expect(cancelled.calls.map((c) => [c.tool, c.status])).toEqual([
        ['get_order_by_id', 'success'],
        ['cancel_order', 'success'],
      ]);
      expect(cancelled.text).toContain('is now Cancelled');
    },
  );

  it(
    'hands the client its own calls from a turn mixing client-defined ' + 'and MCP tools, and runs the MCP calls later',
    async () => {
      const use = (toolUseId: string, name: string, input: JsonObject) => ({ toolUse: { toolUseId, name, input } });
      const turns = [
        {
          content: [
            { text: 'Let me check both.' },
            use('c1', 'top_song', { sign: 'WZPZ' }),
            use('m1', 'get_order_by_id', { order_id: '14826' }),
          ],
          stopReason: 'tool_use',
        },
        { content: [use('m2', 'get_order_by_id', { order_id: '14826' })], stopReason: 'tool_use' },
        { content: [{ text: 'Elemental Hotel is on top; order 14826 has shipped.' }], stopReason: 'end_turn' },
      ];
      const upstream = await startListener((_heard: Heard, n: number) => ({
        output: { message: { role: 'assistant', content: turns[n]?.content } },
        stopReason: turns[n]?.stopReason,
        usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
        metrics: { latencyMs: 1 },
      }));
      const mixed = await gateway({ endpoint: upstream.url });
      const ask = say('Top song on WZPZ, and my order 14826?');
      const first = await converse(mixed.url, { messages: ask, tools: [TOP_SONG] });
      expect(first.answer.stopReason).toBe('tool_use');
      expect(first.answer.output?.message?.content).toEqual([
        { text: 'Let me check both.' },
        { toolUse: { toolUseId: 'c1', name: 'top_song', input: { sign: 'WZPZ' } } },
      ]);
      expect(first.calls).toEqual([]);
      // The model saw the client's tool beside the MCP tools, the client's first.
      const offered = (JSON.parse(upstream.requests[0]?.body ?? '{}') as { toolConfig: { tools: Tool[] } }).toolConfig
        .tools;
      expect(offered[0]).toEqual(TOP_SONG);
      expect(offered.map((t) => t.toolSpec?.name)).toContain('get_order_by_id');

      const history: Message[] = [
        ...ask,
        first.answer.output?.message as Message,
        {
          role: 'user',
          content: [{ toolResult: { toolUseId: 'c1', content: [{ json: { song: 'Elemental Hotel' } }] } }],
        },
      ];
      const second = await converse(mixed.url, { messages: history, tools: [TOP_SONG] });
      expect(second.text).toBe('Elemental Hotel is on top; order 14826 has shipped.');
      expect(second.calls.map((c) => [c.tool, c.status])).toEqual([['get_order_by_id', 'success']]);
      expect(second.answer.usage).toMatchObject({ inputTokens: 20, outputTokens: 10, totalTokens: 30 });
      await upstream.close();
    },
  );

  it(
    'applies the union cap to the client tools and the MCP tools ' + 'together, changing the client tools last',
    async () => {
      const unions = (prefix: string, n: number): JsonObject => ({
        type: 'object',
        properties: Object.fromEntries(
          Array.from({ length: n }, (_, i) => [
            `${prefix}${i}`,
            { type: ['string', 'number'], description: `field ${i}` },
          ]),
        ),
      });
      const clientTool: Tool = {
        toolSpec: { name: 'client_form', description: 'A client-side form.', inputSchema: { json: unions('c', 10) } },
      };
      const mcp = new LocalToolset([
        { name: 'mcp_form', description: 'An MCP form.', inputSchema: unions('m', 10), run: async () => 'done' },
      ]);
      const capped = await gateway({ toolset: mcp });
      const answer = await converse(capped.url, { messages: say('Hello there'), tools: [clientTool] });
      expect(answer.answer.stopReason).toBe('end_turn');
      const sent = emulator.requests.at(-1)?.body as unknown as { toolConfig: { tools: Tool[] } };
      expect(sent.toolConfig.tools[0]).toEqual(clientTool);
      // 20 unions offered, 16 sent: the four over Claude's limit were taken from the MCP tool.
      const typeArrays = (tool: Tool | undefined) => JSON.stringify(tool).match(/"type":\[/g)?.length ?? 0;
      expect(sent.toolConfig.tools.map((t) => [t.toolSpec?.name, typeArrays(t)])).toEqual([
        ['client_form', 10],
        ['mcp_form', 6],
      ]);
      expect(emulator.requests.at(-1)?.error).toBeUndefined();
    },
  );

  it.each([
    ['Llama 3 8B', 'meta.llama3-8b-instruct-v1:0'],
    ['Titan Text Premier', 'amazon.titan-text-premier-v1:0'],
  ])('gives a model without native tool use (%s) the MCP tools through prompts', async (_name, modelId) => {
    const prompted = await gateway();
    const answer = await converse(prompted.url, { modelId, messages: say('my order is 14826') });
    expect(answer.text).toContain('Márcia Oliveria');
    expect(answer.calls.map((c) => [c.tool, c.status])).toEqual([
      ['get_order_by_id', 'success'],
      ['get_user', 'success'],
    ]);
    // Bedrock got no toolConfig from the gateway for this model: the tools went into the prompt.
    const sent = emulator.requests.at(-1)?.body as { toolConfig?: unknown };
    expect(sent.toolConfig).toBeUndefined();
  });

  it(
    'sums usage over the internal turns, cache reads and writes ' + 'included, and reports it with its cost in headers',
    async () => {
      const turns = [
        {
          content: [{ toolUse: { toolUseId: 'm1', name: 'get_order_by_id', input: { order_id: '14826' } } }],
          usage: {
            inputTokens: 10,
            outputTokens: 5,
            totalTokens: 15,
            cacheReadInputTokens: 0,
            cacheWriteInputTokens: 100,
          },
        },
        {
          content: [{ text: 'Order 14826 has shipped.' }],
          usage: {
            inputTokens: 20,
            outputTokens: 7,
            totalTokens: 27,
            cacheReadInputTokens: 100,
            cacheWriteInputTokens: 0,
          },
        },
      ];
      const upstream = await startListener((_heard: Heard, n: number) => ({
        output: { message: { role: 'assistant', content: turns[n]?.content } },
        stopReason: n === 0 ? 'tool_use' : 'end_turn',
        usage: turns[n]?.usage,
        metrics: { latencyMs: 40 },
      }));
      const counted = await gateway({ endpoint: upstream.url });
      const { answer, headers } = await converse(counted.url, {
        messages: say('my order is 14826'),
        system: 'Be brief.',
      });
      const sums = {
        inputTokens: 30,
        outputTokens: 12,
        totalTokens: 42,
        cacheReadInputTokens: 100,
        cacheWriteInputTokens: 100,
      };
      expect(answer.usage).toEqual(sums);
      expect(JSON.parse(headers['x-mcp-bedrock-usage'] ?? '{}')).toEqual(sums);
      // Claude 3 Haiku: $0.25 input, $1.25 output per million tokens; without cache prices, cached tokens cost input.
      const cost = JSON.parse(headers['x-mcp-bedrock-cost'] ?? '{}') as { total: number; priced: string };
      expect(cost.priced).toBe('anthropic.claude-3-haiku');
      expect(cost.total).toBeCloseTo((30 * 0.25 + 12 * 1.25 + 200 * 0.25) / 1e6, 12);
      expect(answer.metrics?.latencyMs).toBe(80);
      await upstream.close();
    },
  );

  it('stops the loop when the client goes away: no further model call, no further tool', async () => {
    let started = 0;
    let release: () => void = () => {};
    const toolStarted = new Promise<void>((resolve) => (release = resolve));
    const slow = new LocalToolset([
      {
        name: 'slow_lookup',
        description: 'Takes its time.',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
        run: (_input, context) => {
          started++;
          release();
          return new Promise((resolve) => context.signal.addEventListener('abort', () => resolve('stopped')));
        },
      },
    ]);
    const again = { toolUse: { toolUseId: 's', name: 'slow_lookup', input: {} } };
    const upstream = await startListener(() => ({
      output: { message: { role: 'assistant', content: [again] } },
      stopReason: 'tool_use',
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      metrics: { latencyMs: 1 },
    }));
    const abandoned = await gateway({ endpoint: upstream.url, toolset: slow });
    const body = JSON.stringify({ messages: say('look it up') });
    const outgoing = request(`${abandoned.url}/model/${encodeURIComponent(CLAUDE)}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    outgoing.on('error', () => {});
    outgoing.end(body);
    await toolStarted;
    outgoing.destroy();
    // The loop ends once the cancelled call settles: a drain waits for exactly that (the request's handler, tool
    // loop included), so any model call or tool it must not make would have been made by then.
    await abandoned.shutdown();
    expect(started).toBe(1);
    expect(upstream.requests).toHaveLength(1);
    await upstream.close();
  });
});
