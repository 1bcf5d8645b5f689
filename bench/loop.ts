/**
 * Scenarios 1 and 2 of the performance issue: the bridge's tool loop against a floor loop written here with the
 * same clients (raw `BedrockRuntimeClient.send` + raw MCP `Client.callTool`, no validation, no translation),
 * the same emulator and the same stdio servers. Repetitions interleave bridge and floor so drift hits both.
 */
import { Agent } from 'node:http';
import { join } from 'node:path';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ContentBlock,
  type Message,
  type Tool,
} from '@aws-sdk/client-bedrock-runtime';
// The MCP client the bridge's hub is built on (docs/protocol-eras.md), so the floor pays what any loop on it pays.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { BedrockModelClient, HubToolset, McpHub, runToolLoop, type Message as BridgeMessage } from '../bridge/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { packageRoot } from '../src/package-root.js';
import { overheadRow, type BenchRow, type BenchSuite } from './harness.js';
import { abortRows } from './abort.js';
import { loopLogicRows } from './loop-logic.js';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const REPETITIONS = 300;
const WARMUP = 5;

function server(name: string, args: string[] = []) {
  return { command: process.execPath, args: [join(packageRoot(), 'dist', 'servers', name, 'main.js'), ...args] };
}

/** The hand-written loop: call, run each toolUse with callTool, send results, repeat. */
async function floorLoop(
  sdk: BedrockRuntimeClient,
  mcp: Client,
  tools: Tool[],
  prompt: string,
  stream: boolean,
): Promise<string> {
  const messages: Message[] = [{ role: 'user', content: [{ text: prompt }] }];
  // Prompt caching as AWS's guide writes it by hand: a cache point after the tool definitions. The bridge caches by
  // default, so the floor does too, and the emulator models the cache for both sides' requests alike.
  const cached: Tool[] = [...tools, { cachePoint: { type: 'default' } }];
  for (;;) {
    let content: ContentBlock[];
    if (stream) {
      const response = await sdk.send(
        new ConverseStreamCommand({ modelId: MODEL, messages, toolConfig: { tools: cached } }),
      );
      const blocks = new Map<number, { text: string; toolUse?: { toolUseId: string; name: string; input: string } }>();
      for await (const event of response.stream ?? []) {
        const start = event.contentBlockStart;
        if (start?.start?.toolUse)
          blocks.set(start.contentBlockIndex ?? 0, {
            text: '',
            toolUse: {
              toolUseId: start.start.toolUse.toolUseId ?? '',
              name: start.start.toolUse.name ?? '',
              input: '',
            },
          });
        const delta = event.contentBlockDelta;
        if (delta) {
          const block = blocks.get(delta.contentBlockIndex ?? 0) ?? { text: '' };
          blocks.set(delta.contentBlockIndex ?? 0, block);
          if (delta.delta?.text) block.text += delta.delta.text;
          if (delta.delta?.toolUse && block.toolUse) block.toolUse.input += delta.delta.toolUse.input ?? '';
        }
      }
      content = [...blocks.values()].map((b) =>
        b.toolUse ? { toolUse: { ...b.toolUse, input: JSON.parse(b.toolUse.input || '{}') } } : { text: b.text },
      );
    } else {
      const response = await sdk.send(new ConverseCommand({ modelId: MODEL, messages, toolConfig: { tools: cached } }));
      content = response.output?.message?.content ?? [];
    }
    messages.push({ role: 'assistant', content });
    const uses = content.flatMap((b) => (b.toolUse ? [b.toolUse] : []));
    if (uses.length === 0) return content.map((b) => b.text ?? '').join('');
    const results = await Promise.all(
      uses.map(async (use) => {
        const result = (await mcp.callTool({
          name: use.name ?? '',
          arguments: use.input as Record<string, unknown>,
        })) as { content: { text?: string }[] };
        return {
          toolResult: {
            toolUseId: use.toolUseId,
            content: [{ text: result.content.map((c) => c.text ?? '').join('') }],
          },
        };
      }),
    );
    messages.push({ role: 'user', content: results });
  }
}

/**
 * Interleaved pairs, alternating which side runs first: whatever the first or second run of a pair inherits (GC debt,
 * warm sockets) falls on both sides equally.
 */
async function paired(
  bridge: () => Promise<unknown>,
  floor: () => Promise<unknown>,
): Promise<{ bridge: number[]; floor: number[] }> {
  for (let i = 0; i < WARMUP; i++) {
    await bridge();
    await floor();
  }
  const times = { bridge: [] as number[], floor: [] as number[] };
  const time = async (fn: () => Promise<unknown>): Promise<number> => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };
  for (let i = 0; i < REPETITIONS; i++) {
    if (i % 2 === 0) {
      times.floor.push(await time(floor));
      times.bridge.push(await time(bridge));
    } else {
      times.bridge.push(await time(bridge));
      times.floor.push(await time(floor));
    }
  }
  return times;
}

export const loopSuite: BenchSuite = {
  name: 'loop',
  description: 'tool loop vs a hand-written floor loop (emulator + stdio servers)',
  async run(): Promise<BenchRow[]> {
    const emulator = await startEmulator({ port: 0 });
    const scenarios: {
      name: string;
      server: string;
      args: string[];
      prompt: string;
      target: { maxOverheadMs?: number; maxRatio?: number; text: string };
    }[] = [
      {
        name: 'top_song round trip',
        server: 'radio',
        args: [],
        prompt: 'What is the most popular song on WZPZ?',
        target: { maxOverheadMs: 1, text: '≤ 1 ms over floor' },
      },
      {
        name: '10 turns × 3 parallel calls',
        server: 'orders',
        args: ['--db', ':memory:'],
        prompt: 'benchmark ten rounds',
        target: { maxRatio: 1.05, text: '≤ 5 % over floor' },
      },
    ];
    const rows: BenchRow[] = [];
    try {
      // The settings the bridge's adapter picks from these rows: the handler, and the SDK's middleware cache.
      const settings = [
        { label: 'SDK handler http1', handler: 'http1', cacheMiddleware: false },
        { label: 'SDK handler http2', handler: 'http2', cacheMiddleware: false },
        { label: 'SDK handler http1 + cacheMiddleware', handler: 'http1', cacheMiddleware: true },
      ] as const;
      for (const { label, handler, cacheMiddleware } of settings) {
        const requestHandler =
          handler === 'http1'
            ? new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true }) })
            : new NodeHttp2Handler();
        const sdk = new BedrockRuntimeClient({
          endpoint: emulator.url,
          region: 'us-east-1',
          credentials: CREDENTIALS,
          maxAttempts: 1,
          requestHandler,
          cacheMiddleware,
        });
        const sdkFloor = await (async () => {
          const mcp = new Client({ name: 'floor', version: '1' });
          await mcp.connect(new StdioClientTransport(server('radio')));
          const tools = (await mcp.listTools()).tools.map((t) => ({
            toolSpec: { name: t.name, description: t.description ?? t.name, inputSchema: { json: t.inputSchema } },
          })) as Tool[];
          const times: number[] = [];
          for (let i = 0; i < WARMUP + REPETITIONS; i++) {
            const start = performance.now();
            await floorLoop(sdk, mcp, tools, 'What is the most popular song on WZPZ?', false);
            if (i >= WARMUP) times.push(performance.now() - start);
          }
          await mcp.close();
          return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? NaN;
        })();
        rows.push({
          suite: 'loop',
          name: `floor top_song, ${label}`,
          unit: 'ms',
          value: sdkFloor,
          samples: REPETITIONS,
          note: "chooses the adapter's settings",
        });
        sdk.destroy();
      }
      for (const scenario of scenarios) {
        const mcp = new Client({ name: 'floor', version: '1' });
        await mcp.connect(new StdioClientTransport(server(scenario.server, scenario.args)));
        const tools = (await mcp.listTools()).tools.map((t) => ({
          toolSpec: { name: t.name, description: t.description ?? t.name, inputSchema: { json: t.inputSchema } },
        })) as Tool[];
        const hub = new McpHub([
          { name: scenario.server, transport: 'stdio', ...server(scenario.server, scenario.args) },
        ]);
        await hub.start();
        const toolset = new HubToolset(hub);
        const client = new BedrockModelClient({
          endpoint: emulator.url,
          region: 'us-east-1',
          credentials: CREDENTIALS,
        });
        const sdk = new BedrockRuntimeClient({
          endpoint: emulator.url,
          region: 'us-east-1',
          credentials: CREDENTIALS,
          maxAttempts: 1,
          requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true }) }),
        });
        for (const stream of [false, true]) {
          const bridge = async () => {
            const messages: BridgeMessage[] = [{ role: 'user', content: [{ text: scenario.prompt }] }];
            return runToolLoop(messages, { client, modelId: MODEL, toolset, stream });
          };
          const times = await paired(bridge, () => floorLoop(sdk, mcp, tools, scenario.prompt, stream));
          rows.push(
            overheadRow(
              'loop',
              `${scenario.name}, ${stream ? 'ConverseStream' : 'Converse'}`,
              times.bridge,
              times.floor,
              scenario.target,
            ),
          );
        }
        sdk.destroy();
        await hub.close();
        await mcp.close();
      }
    } finally {
      await emulator.close();
    }
    rows.push(...(await loopLogicRows()), ...(await abortRows()));
    return rows;
  },
};
