/**
 * InvokeModel through a gateway with MCP tools (README, "Gateway mode"): the MCP tools are added to the client's
 * Anthropic Messages body as they are to a Converse request, and a turn that calls a tool the client defined goes
 * back to the client as a `tool_use` block, whose `tool_result` the client sends in its next InvokeModel request.
 */
import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalToolset } from '../../bridge/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startGateway, upstreamFrom, type Gateway } from '../../src/gateway/index.js';
import { sdkFor } from '../support/emulator-sdk.js';

const MODEL = 'anthropic.claude-3-5-sonnet-20241022-v2:0';
const TOP_SONG = {
  name: 'top_song',
  description: 'The most popular song on a radio station.',
  input_schema: { type: 'object', properties: { sign: { type: 'string' } }, required: ['sign'] },
};
const lookup = new LocalToolset([
  {
    name: 'lookup',
    description: 'Looks something up.',
    inputSchema: { type: 'object' },
    annotations: { readOnlyHint: true },
    run: async () => 'found',
  },
]);

let emulator: Emulator;
let gateway: Gateway;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  gateway = await startGateway({ port: 0, upstream: upstreamFrom({ endpoint: emulator.url }), toolset: lookup });
});
afterAll(async () => {
  await gateway.close();
  await emulator.close();
});

interface Block {
  type: string;
  id?: string;
  name?: string;
  input?: unknown;
  text?: string;
}

it("returns the client's own tool call to it, and answers from the tool_result it sends", async () => {
  const sdk = sdkFor(gateway.url);
  const send = async (messages: unknown[]) => {
    const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 512, tools: [TOP_SONG], messages };
    const out = await sdk.send(new InvokeModelCommand({ modelId: MODEL, body: JSON.stringify(body) }));
    return JSON.parse(new TextDecoder().decode(out.body)) as { content: Block[]; stop_reason: string };
  };
  const ask = { role: 'user', content: 'What is the most popular song on WZPZ?' };
  const first = await send([ask]);
  expect(first.stop_reason).toBe('tool_use');
  const call = first.content.find((b) => b.type === 'tool_use');
  expect(call).toMatchObject({ name: 'top_song', input: { sign: 'WZPZ' } });
  // The model was offered the client's tool and the gateway's.
  expect(emulator.requests.at(-1)?.tools).toEqual(['top_song', 'lookup']);

  const result = {
    type: 'tool_result',
    tool_use_id: call?.id,
    content: '{"song":"Elemental Hotel","artist":"8 Storey Hike"}',
  };
  const second = await send([ask, { role: 'assistant', content: first.content }, { role: 'user', content: [result] }]);
  sdk.destroy();
  expect(second).toMatchObject({
    stop_reason: 'end_turn',
    content: [{ type: 'text', text: 'The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.' }],
  });
});
