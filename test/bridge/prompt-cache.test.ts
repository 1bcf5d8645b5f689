/**
 * Automatic prompt caching (docs/prompt-caching.md): the cache points placed per family, sent through the real AWS
 * SDK to the emulator (which rejects misplaced ones as Bedrock does), and kept across a resumed conversation.
 */
import { describe, expect, it } from 'vitest';
import {
  Conversation,
  LocalToolset,
  runToolLoop,
  type ConverseRequest,
  type Message,
  type Tool,
} from '../../bridge/index.js';
import { capabilitiesFor, toWireRequest, withCachePoints } from '../../bridge/entries/converse.js';
import { emulatorWithClient } from '../support/emulator-client.js';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU3 = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'us.amazon.nova-pro-v1:0';
const LLAMA = 'us.meta.llama3-3-70b-instruct-v1:0';

const emu = emulatorWithClient();
const { sent } = emu;

/** Tools with long descriptions, so the tool definitions alone pass every model's minimum. */
const TOOLS: Tool[] = Array.from({ length: 12 }, (_, i) => ({
  toolSpec: {
    name: `lookup_${i}`,
    description: `Looks up record kind ${i} in the archive. `.repeat(40),
    inputSchema: { json: { type: 'object', properties: { q: { type: 'string' } } } },
  },
}));
const SYSTEM = [{ text: 'You are the archive assistant. Answer briefly. '.repeat(100) }];

function request(modelId: string, messages: Message[]): ConverseRequest {
  return toWireRequest({ modelId, caps: capabilitiesFor(modelId), messages, system: SYSTEM, tools: TOOLS });
}

const user = (text: string): Message => ({ role: 'user', content: [{ text }] });
const turns: Message[] = [
  user('first question '.repeat(200)),
  { role: 'assistant', content: [{ text: 'first answer' }] },
  user('second question'),
];

function points(req: ConverseRequest): { tools: number; system: number; messages: number[] } {
  return {
    tools: (req.toolConfig?.tools ?? []).filter((t) => 'cachePoint' in t).length,
    system: (req.system ?? []).filter((b) => 'cachePoint' in b).length,
    messages: req.messages.flatMap((m, i) => (m.content.some((b) => 'cachePoint' in b) ? [i] : [])),
  };
}

describe('cache points per family', () => {
  it('Claude: after the tools, after the system prompt and on the last two user turns (four)', async () => {
    const req = withCachePoints(request(SONNET, turns), capabilitiesFor(SONNET));
    expect(points(req)).toEqual({ tools: 1, system: 1, messages: [0, 2] });
    const response = await emu.client.converse(req);
    expect(response.usage.cacheWriteInputTokens).toBeGreaterThan(0);
  });

  it('Nova: system and messages only, never in tools, and the emulator accepts it', async () => {
    const req = withCachePoints(request(NOVA, turns), capabilitiesFor(NOVA));
    expect(points(req)).toEqual({ tools: 0, system: 1, messages: [0, 2] });
    const response = await emu.client.converse(req);
    expect(response.usage.cacheWriteInputTokens).toBeGreaterThan(0);
  });

  it('models without prompt caching get no cache point (Claude 3 Haiku, Llama)', () => {
    for (const model of [HAIKU3, LLAMA]) {
      const req = withCachePoints(request(model, turns), capabilitiesFor(model));
      expect(points(req), model).toEqual({ tools: 0, system: 0, messages: [] });
    }
  });

  it('no checkpoint before the model minimum (Haiku 4.5: 4,096 tokens)', () => {
    const model = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
    const small = toWireRequest({
      modelId: model,
      caps: capabilitiesFor(model),
      messages: [user('hi')],
      system: [{ text: 'Short.' }],
      tools: TOOLS.slice(0, 1),
    });
    expect(points(withCachePoints(small, capabilitiesFor(model)))).toEqual({ tools: 0, system: 0, messages: [] });
  });

  it("the caller's own cache points are replaced, so a request never has more than four", async () => {
    const own = { cachePoint: { type: 'default' as const } };
    const crowded: Message[] = turns.map((m) => ({ role: m.role, content: [...m.content, own] }));
    const raw = request(SONNET, crowded);
    // Sent as they are, five checkpoints are Claude's ValidationException.
    const five = { ...raw, system: [...(raw.system ?? []), own], toolConfig: { tools: [...TOOLS, own] } };
    await expect(emu.client.converse(five)).rejects.toThrow(/A maximum of 4 blocks with cache_control/);
    const placed = withCachePoints(five, capabilitiesFor(SONNET));
    expect(points(placed)).toEqual({ tools: 1, system: 1, messages: [0, 2] });
    await expect(emu.client.converse(placed)).resolves.toBeDefined();
  });

  it('ttl 1h only where the model has it (Sonnet 4.5 yes, 3.7 Sonnet no)', () => {
    const long = withCachePoints(request(SONNET, turns), capabilitiesFor(SONNET), { ttl: '1h' });
    expect(long.system?.at(-1)).toEqual({ cachePoint: { type: 'default', ttl: '1h' } });
    const model = 'anthropic.claude-3-7-sonnet-20250219-v1:0';
    const short = withCachePoints(request(model, turns), capabilitiesFor(model), { ttl: '1h' });
    expect(short.system?.at(-1)).toEqual({ cachePoint: { type: 'default' } });
  });

  it('the history is never changed: checkpoints live on the wire only', () => {
    const history = structuredClone(turns);
    withCachePoints(request(SONNET, history), capabilitiesFor(SONNET));
    expect(history).toEqual(turns);
  });
});

describe('the loop caches by default', () => {
  const toolset = new LocalToolset(
    TOOLS.map((t) => ({
      name: 'toolSpec' in t ? t.toolSpec.name : '',
      description: 'toolSpec' in t ? (t.toolSpec.description ?? '') : '',
      inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
      run: async () => 'found',
    })),
  );
  const system = SYSTEM[0]?.text ?? '';

  it('a second message reads the prefix the first wrote; promptCache false sends none', async () => {
    const chat = new Conversation({ client: emu.client, modelId: SONNET, toolset, system, stream: false });
    const first = await chat.send('hello');
    expect(first.usage.cacheWriteInputTokens).toBeGreaterThan(0);
    const second = await chat.send('and again');
    expect(second.usage.cacheReadInputTokens).toBeGreaterThanOrEqual(first.usage.cacheWriteInputTokens);
    sent.length = 0;
    const off = await runToolLoop('hello', {
      client: emu.client,
      modelId: SONNET,
      toolset,
      system,
      promptCache: false,
    });
    expect(off.usage.cacheReadInputTokens + off.usage.cacheWriteInputTokens).toBe(0);
    expect(JSON.stringify(sent)).not.toContain('cachePoint');
  });

  it('checkpoints are kept across a resumed session: the resumed conversation reads the cache', async () => {
    const chat = new Conversation({ client: emu.client, modelId: SONNET, toolset, system, stream: false });
    await chat.send('remember the archive');
    const saved = structuredClone({ messages: chat.messages, usage: chat.usage });
    expect(JSON.stringify(saved.messages)).not.toContain('cachePoint');
    sent.length = 0;
    const resumed = new Conversation({ client: emu.client, modelId: SONNET, toolset, system, stream: false }, saved);
    const next = await resumed.send('what did I ask?');
    expect(points(sent[0] as ConverseRequest)).toEqual({ tools: 1, system: 1, messages: [0, 2] });
    expect(next.usage.cacheReadInputTokens).toBeGreaterThan(0);
  });

  it('a switch from Claude to Nova mid-conversation drops the tool checkpoint and is accepted', async () => {
    const chat = new Conversation({ client: emu.client, modelId: SONNET, toolset, system, stream: false });
    await chat.send('hello');
    sent.length = 0;
    const nova = new Conversation({ client: emu.client, modelId: NOVA, toolset, system, stream: false }, chat);
    await nova.send('and you?');
    expect(points(sent[0] as ConverseRequest)).toEqual({ tools: 0, system: 1, messages: [0, 2] });
  });
});
