/**
 * InvokeModel and InvokeModelWithResponseStream with Anthropic Claude's Messages body, through the unmodified AWS
 * SDK: the same scenarios answer as for Converse, in the Anthropic response shape; every rejection is Bedrock's
 * text (docs/bedrock-evidence.md, "InvokeModel with Anthropic Claude").
 */
import { InvokeModelCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { startGateway, upstreamFrom } from '../../src/gateway/index.js';
import { createRecorder } from '../../src/recording/index.js';
import { emulatorWithSdk, sdkFor } from '../support/emulator-sdk.js';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU3 = 'anthropic.claude-3-haiku-20240307-v1:0';
const TOP_SONG = {
  name: 'top_song',
  description: 'The most popular song on a radio station.',
  input_schema: { type: 'object', properties: { sign: { type: 'string' } }, required: ['sign'] },
};
const ask = (text: string) => ({ role: 'user', content: text });
const base = (messages: unknown[], extra: object = {}) => ({
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 512,
  messages,
  ...extra,
});

const rig = emulatorWithSdk();

async function invoke(body: object, modelId = SONNET, sdk = rig.sdk): Promise<Record<string, unknown>> {
  const out = await sdk.send(
    new InvokeModelCommand({ modelId, contentType: 'application/json', body: JSON.stringify(body) }),
  );
  return JSON.parse(new TextDecoder().decode(out.body)) as Record<string, unknown>;
}

async function rejection(body: object, modelId = SONNET): Promise<string> {
  const error = await invoke(body, modelId).then(
    () => new Error('accepted'),
    (e: Error) => e,
  );
  expect(error.name).toBe('ValidationException');
  return error.message;
}

describe('InvokeModel with the Anthropic Messages body', () => {
  it('plays the scenario: a tool_use turn, then the answer from the tool_result', async () => {
    const question = ask('What is the most popular song on WZPZ?');
    const first = await invoke(base([question], { tools: [TOP_SONG], system: 'You are a radio assistant.' }));
    expect(first).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'tool_use', stop_sequence: null });
    expect(first['id']).toMatch(/^msg_bdrk_01[A-Za-z0-9]{22}$/);
    expect(first['model']).toBe('claude-sonnet-4-5-20250929');
    const content = first['content'] as { type: string; id: string; name: string; input: unknown }[];
    const call = content.find((b) => b.type === 'tool_use');
    expect(call).toMatchObject({ name: 'top_song', input: { sign: 'WZPZ' } });
    expect(call?.id).toMatch(/^toolu_bdrk_01[A-Za-z0-9]{22}$/);
    expect(first['usage']).toMatchObject({ input_tokens: expect.any(Number), output_tokens: expect.any(Number) });

    const result = {
      type: 'tool_result',
      tool_use_id: call?.id,
      content: '{"song":"Elemental Hotel","artist":"8 Storey Hike"}',
    };
    const second = await invoke(
      base([question, { role: 'assistant', content }, { role: 'user', content: [result] }], { tools: [TOP_SONG] }),
    );
    expect(second).toMatchObject({
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: 'The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.' }],
    });
    const logged = rig.emulator.requests.at(-1);
    expect(logged).toMatchObject({ operation: 'invoke', tools: ['top_song'], answeredBy: 'top_song' });
  });

  it('streams the same turn as chunk events carrying Anthropic stream events', async () => {
    const out = await rig.sdk.send(
      new InvokeModelWithResponseStreamCommand({
        modelId: SONNET,
        contentType: 'application/json',
        body: JSON.stringify(base([ask('What is the most popular song on WZPZ?')], { tools: [TOP_SONG] })),
      }),
    );
    const events: Record<string, unknown>[] = [];
    for await (const part of out.body ?? []) {
      if (part.chunk?.bytes) events.push(JSON.parse(new TextDecoder().decode(part.chunk.bytes)));
    }
    expect(events.map((e) => e['type'])).toEqual([
      'message_start',
      'content_block_start',
      ...Array(events.length - 5).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[1]).toMatchObject({ index: 0, content_block: { type: 'tool_use', name: 'top_song', input: {} } });
    const json = events
      .filter((e) => e['type'] === 'content_block_delta')
      .map((e) => (e['delta'] as { partial_json: string }).partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ sign: 'WZPZ' });
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: 'tool_use' } });
    expect(events.at(-1)).toMatchObject({
      'amazon-bedrock-invocationMetrics': { inputTokenCount: expect.any(Number), outputTokenCount: expect.any(Number) },
    });
  });
});

describe('InvokeModel recorded through the gateway', () => {
  it('replays the same answers, InvokeModel and the stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoke-record-'));
    const gateway = await startGateway({
      port: 0,
      upstream: upstreamFrom({ endpoint: rig.emulator.url, recorder: createRecorder(dir) }),
    });
    const body = base([ask('What is the most popular song on WZPZ?')], { tools: [TOP_SONG] });
    const streamed = async (url: string): Promise<string[]> => {
      const sdk = sdkFor(url);
      const out = await sdk.send(
        new InvokeModelWithResponseStreamCommand({ modelId: SONNET, body: JSON.stringify(body) }),
      );
      const chunks: string[] = [];
      for await (const part of out.body ?? []) chunks.push(new TextDecoder().decode(part.chunk?.bytes));
      sdk.destroy();
      return chunks;
    };
    const recordingSdk = sdkFor(gateway.url);
    const recorded = [await invoke(body, SONNET, recordingSdk), await streamed(gateway.url)];
    recordingSdk.destroy();
    await gateway.close();
    expect(readdirSync(dir).sort()).toEqual([
      expect.stringMatching(/^0001-invoke-/),
      expect.stringMatching(/^0002-invoke-with-response-stream-/),
    ]);
    const replay = await startEmulator({ port: 0, replay: dir });
    const replaySdk = sdkFor(replay.url);
    try {
      expect([await invoke(body, SONNET, replaySdk), await streamed(replay.url)]).toEqual(recorded);
    } finally {
      replaySdk.destroy();
      await replay.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('InvokeModel rejections, in Bedrock words', () => {
  it('a body without max_tokens (Bedrock schema)', async () => {
    expect(await rejection({ anthropic_version: 'bedrock-2023-05-31', messages: [ask('hi')] }, HAIKU3)).toBe(
      'Malformed input request: #: subject must not be valid against schema {"required":["messages"]}#: ' +
        'required key [max_tokens] not found, please reformat your input and try again.',
    );
  });

  it('members Claude 3 does not take (Bedrock schema), and Claude 4 (Anthropic)', async () => {
    expect(await rejection(base([ask('hi')], { stream: true, model: 'claude' }), HAIKU3)).toBe(
      'Malformed input request: #: subject must not be valid against schema ' +
        '{"required":["messages"]}#: extraneous key [stream] is not permitted#: extraneous key ' +
        '[model] is not permitted, please reformat your input and try again.',
    );
    expect(await rejection(base([ask('hi')], { output_config: { effort: 'low' } }))).toBe(
      'output_config: Extra inputs are not permitted',
    );
  });

  it('a text-completion body for a Messages-only model', async () => {
    expect(await rejection({ prompt: '\n\nHuman: hi\n\nAssistant:', max_tokens_to_sample: 10 }, HAIKU3)).toBe(
      '"claude-3-haiku-20240307" is not supported on this API. Please use the Messages API instead.',
    );
  });

  it('roles that do not alternate', async () => {
    expect(await rejection(base([ask('a'), ask('b')]))).toBe(
      'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row',
    );
  });

  it('a tool_use without its tool_result in the next message', async () => {
    const call = { type: 'tool_use', id: 'toolu_1', name: 'top_song', input: { sign: 'WZPZ' } };
    const body = base([ask('a'), { role: 'assistant', content: [call] }, ask('b')], { tools: [TOP_SONG] });
    expect(await rejection(body)).toBe(
      'messages.2: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1. Each ' +
        '`tool_use` block must have a corresponding `tool_result` block in the next message.',
    );
  });

  it('another family, whose native body the emulator does not model, says so', async () => {
    const message = await rejection({ prompt: 'hi', max_gen_len: 10 }, 'meta.llama3-1-70b-instruct-v1:0');
    expect(message).toMatch(/^mcp-bedrock emulator: InvokeModel is modelled for Anthropic Claude 3 and later/);
    expect(message).toContain('use Converse for this model');
  });
});
