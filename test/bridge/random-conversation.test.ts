/**
 * 500 model turns of a randomised conversation (random tools, failures, empty results, images, json, parallel
 * calls, invented tool names, bad JSON input, model families switching mid-conversation). Every request the
 * loop builds is first posted to the emulator, which validates it as Bedrock does: none may be rejected.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  BedrockModelClient,
  Conversation,
  LocalToolset,
  type ContentBlock,
  type ConverseRequest,
  type ConverseResponse,
  type ConverseStreamEvent,
  type LocalTool,
  type ModelClient,
} from '../../bridge/index.js';
import { capabilitiesFor, streamEventsOf } from '../../bridge/entries/converse.js';
import { reply } from '../../bridge/entries/testing.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { FAMILY_MODELS } from './families.js';

let emulator: Emulator;
let validator: BedrockModelClient;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  validator = new BedrockModelClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
  });
});
afterAll(() => emulator.close());

/** Deterministic PRNG (mulberry32) so a failure replays. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PNG = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
);
const schema = { type: 'object', properties: { q: { type: 'string' } } };
const TOOLS: LocalTool[] = [
  {
    name: 'ok',
    description: 'succeeds',
    inputSchema: schema,
    run: async (input) => `found ${String(input['q'] ?? '')}`,
  },
  {
    name: 'fail',
    description: 'fails',
    inputSchema: schema,
    run: async () => ({ content: [{ text: 'database unavailable' }], isError: true }),
  },
  { name: 'empty', description: 'returns nothing', inputSchema: schema, run: async () => ({ content: [] }) },
  {
    name: 'picture',
    description: 'returns an image',
    inputSchema: schema,
    run: async () => ({ content: [{ text: 'chart:' }, { image: { format: 'png', source: { bytes: PNG } } }] }),
  },
  {
    name: 'record',
    description: 'returns json',
    inputSchema: schema,
    run: async () => ({ content: [{ json: { id: 7, tags: ['a', 'b'] } }] }),
  },
  {
    name: 'throws',
    description: 'throws',
    inputSchema: schema,
    run: async () => {
      throw new Error('kaboom');
    },
  },
];

class RandomModel implements ModelClient {
  calls = 0;
  constructor(private readonly random: () => number) {}

  private respond(request: ConverseRequest): ConverseResponse {
    this.calls++;
    const r = this.random;
    const offered = request.toolConfig?.tools.flatMap((t) => ('toolSpec' in t ? [t.toolSpec.name] : [])) ?? [];
    const prompt = !request.toolConfig && capabilitiesFor(request.modelId).toolUse === 'prompt';
    const names = prompt ? TOOLS.map((t) => t.name) : offered;
    if (names.length === 0 || r() < 0.25) return reply([{ text: `answer ${this.calls}` }], 'end_turn');
    const count = 1 + Math.floor(r() * 3);
    const calls = Array.from({ length: count }, (_, i) => ({
      name: r() < 0.1 ? 'invented.tool$' : (names[Math.floor(r() * names.length)] as string),
      input: r() < 0.08 ? '{"q": "unterminated' : { q: `v${i}` },
    }));
    if (prompt)
      return reply(
        [
          {
            text: `Tool Call:\n${JSON.stringify(
              calls.map((c) => ({ name: c.name, arguments: typeof c.input === 'string' ? {} : c.input })),
            )}`,
          },
        ],
        'end_turn',
      );
    const content: ContentBlock[] = r() < 0.5 ? [{ text: 'Let me check.' }] : [];
    for (const [i, c] of calls.entries())
      content.push({ toolUse: { toolUseId: `t${this.calls}_${i}`, name: c.name, input: c.input as never } });
    return reply(content, 'tool_use');
  }

  async converse(request: ConverseRequest): Promise<ConverseResponse> {
    await validator.converse(request);
    return this.respond(request);
  }

  async *converseStream(request: ConverseRequest): AsyncIterable<ConverseStreamEvent> {
    for await (const _ of validator.converseStream(request)) void _;
    yield* streamEventsOf(this.respond(request));
  }
}

it('never builds a request Bedrock would reject over 500 random model turns', async () => {
  const random = rng(20261125);
  const model = new RandomModel(random);
  const toolset = new LocalToolset(TOOLS);
  const conversation = new Conversation({
    client: model,
    modelId: FAMILY_MODELS[0],
    toolset,
    limits: { maxTurns: 6, toolTimeoutMs: 2_000 },
  });
  let sends = 0;
  while (model.calls < 500) {
    // The same conversation moves between model families, as a resumed session with another --model would.
    const modelId = FAMILY_MODELS[sends % FAMILY_MODELS.length] as string;
    Object.assign(conversation.options, { modelId, stream: random() < 0.5 });
    await conversation.send(`question ${sends++}`);
  }
  expect(model.calls).toBeGreaterThanOrEqual(500);
  expect(emulator.requests.filter((r) => r.error)).toEqual([]);
  expect(conversation.messages.length).toBeGreaterThan(500);
}, 120_000);
