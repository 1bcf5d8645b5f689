import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOP_SONG } from '../support/top-song.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';

let emulator: Emulator;
let h1: BedrockRuntimeClient;
let h2: BedrockRuntimeClient;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  const base = {
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
  };
  h1 = new BedrockRuntimeClient(base);
  h2 = new BedrockRuntimeClient({ ...base, requestHandler: new NodeHttp2Handler() });
});
afterAll(async () => {
  h1.destroy();
  h2.destroy();
  await emulator.close();
});

const ask: Message[] = [{ role: 'user', content: [{ text: 'What is the most popular song on WZPZ?' }] }];

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return {
      name: e.name,
      message: e.message,
      ...(e.$metadata?.httpStatusCode !== undefined && { status: e.$metadata.httpStatusCode }),
    };
  }
  throw new Error('expected the request to fail');
}

describe('Converse emulator through the real AWS SDK', () => {
  it.each([
    ['HTTP/1.1', () => h1],
    ['HTTP/2', () => h2],
  ])('plays the top_song round trip over %s', async (_name, client) => {
    const first = await client().send(
      new ConverseCommand({ modelId: CLAUDE, messages: ask, toolConfig: { tools: [TOP_SONG] } }),
    );
    expect(first.stopReason).toBe('tool_use');
    const use = first.output?.message?.content?.find((b) => b.toolUse)?.toolUse;
    expect(use).toMatchObject({ name: 'top_song', input: { sign: 'WZPZ' } });
    const second = await client().send(
      new ConverseCommand({
        modelId: CLAUDE,
        toolConfig: { tools: [TOP_SONG] },
        messages: [
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
        ],
      }),
    );
    expect(second.output?.message?.content?.[0]?.text).toBe(
      'The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.',
    );
    expect(second.usage?.totalTokens).toBeGreaterThan(0);
  });

  it('answers a prompt carrying a pasted 1 MB document, and still finds the e-mail address at its end', async () => {
    const tool = (name: string) => ({
      toolSpec: { name, description: name, inputSchema: { json: { type: 'object', properties: {} } } },
    });
    // Identifier-like text with no "@" is what made the e-mail scenario scan the document once per character.
    const document = 'Ab1_.-+'.repeat(150_000);
    const response = await h1.send(
      new ConverseCommand({
        modelId: CLAUDE,
        messages: [{ role: 'user', content: [{ text: `${document}\nWhich orders does john@example.com have?` }] }],
        toolConfig: { tools: [tool('get_user'), tool('get_customer_orders')] },
      }),
    );
    expect(response.output?.message?.content?.find((b) => b.toolUse)?.toolUse).toMatchObject({
      name: 'get_user',
      input: { key: 'email', value: 'john@example.com' },
    });
  });

  it('streams events the SDK decodes, tool input in fragments', async () => {
    const response = await h1.send(
      new ConverseStreamCommand({ modelId: CLAUDE, messages: ask, toolConfig: { tools: [TOP_SONG] } }),
    );
    const kinds: string[] = [];
    let input = '';
    for await (const event of response.stream ?? []) {
      kinds.push(Object.keys(event).find((k) => k !== '$unknown') ?? '?');
      input += event.contentBlockDelta?.delta?.toolUse?.input ?? '';
    }
    expect(kinds[0]).toBe('messageStart');
    expect(kinds).toContain('contentBlockStart');
    expect(kinds.slice(-2)).toEqual(['messageStop', 'metadata']);
    expect(JSON.parse(input)).toEqual({ sign: 'WZPZ' });
  });

  it.each([
    [
      { modelId: CLAUDE, messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] },
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    ],
    [
      { modelId: CLAUDE, messages: [...ask, ...ask] },
      'A conversation must alternate between user and assistant roles. Make sure the ' +
        'conversation alternates between user and assistant roles and try again.',
    ],
    [
      { modelId: CLAUDE, messages: [{ role: 'user', content: [{ text: ' ' }] }] },
      'The text field in the ContentBlock object at messages.0.content.0 is ' +
        'blank. Add text to the text field, and try again.',
    ],
    [
      {
        modelId: CLAUDE,
        messages: [
          ...ask,
          { role: 'assistant', content: [{ toolUse: { toolUseId: 'a', name: 'top_song', input: {} } }] },
          { role: 'user', content: [{ text: 'x' }] },
        ],
      },
      'Expected toolResult blocks at messages.2.content for the following Ids: a',
    ],
    [
      {
        modelId: CLAUDE,
        messages: [
          ...ask,
          { role: 'assistant', content: [{ toolUse: { toolUseId: 'a', name: 'top_song', input: {} } }] },
          { role: 'user', content: [{ toolResult: { toolUseId: 'a', content: [{ text: 'x' }] } }] },
        ],
      },
      'The toolConfig field must be defined when using toolUse and toolResult content blocks.',
    ],
    [
      {
        modelId: CLAUDE,
        messages: ask,
        toolConfig: { tools: [{ toolSpec: { name: 'bad.name', inputSchema: { json: { type: 'object' } } } }] },
      },
      "1 validation error detected: Value 'bad.name' at 'toolConfig.tools.1.member.toolSpec.name' failed to " +
        'satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+',
    ],
    [
      {
        modelId: CLAUDE,
        messages: ask,
        toolConfig: { tools: [{ toolSpec: { name: 'x', inputSchema: { json: { anyOf: [] } } } }] },
      },
      'The value at toolConfig.tools.0.toolSpec.inputSchema.json.type must be one of the following: object.',
    ],
    [
      {
        modelId: 'meta.llama3-1-70b-instruct-v1:0',
        messages: ask,
        toolConfig: { tools: [TOP_SONG], toolChoice: { any: {} } },
      },
      "This model doesn't support the toolConfig.toolChoice.any field. Remove toolConfig.toolChoice.any and try again.",
    ],
    [
      { modelId: 'deepseek.r1-v1:0', messages: ask, toolConfig: { tools: [TOP_SONG] } },
      "This model doesn't support tool use.",
    ],
  ])('rejects invalid requests with Bedrock’s own message (%#)', async (input, message) => {
    const error = await errorOf(h1.send(new ConverseCommand(input as never)));
    expect(error).toEqual({ name: 'ValidationException', message, status: 400 });
  });

  it('rejects tools in streams for Llama before any frame', async () => {
    const error = await errorOf(
      h1.send(
        new ConverseStreamCommand({
          modelId: 'us.meta.llama3-3-70b-instruct-v1:0',
          messages: ask,
          toolConfig: { tools: [TOP_SONG] },
        }),
      ),
    );
    expect(error).toMatchObject({
      name: 'ValidationException',
      message: "This model doesn't support tool use in streaming mode.",
    });
  });

  it('injects faults as the SDK’s typed exceptions', async () => {
    emulator.faults.push({ kind: 'throttle' }, { kind: 'not-ready' }, { kind: 'unavailable' });
    expect(await errorOf(h1.send(new ConverseCommand({ modelId: CLAUDE, messages: ask })))).toMatchObject({
      name: 'ThrottlingException',
      status: 429,
    });
    expect(await errorOf(h1.send(new ConverseCommand({ modelId: CLAUDE, messages: ask })))).toMatchObject({
      name: 'ModelNotReadyException',
      status: 429,
    });
    expect(await errorOf(h2.send(new ConverseCommand({ modelId: CLAUDE, messages: ask })))).toMatchObject({
      name: 'ServiceUnavailableException',
      status: 503,
    });
  });

  it('injects every modelled exception, programmatically or by request header', async () => {
    emulator.faults.push({ kind: 'not-found' }, { kind: 'internal' }, { kind: 'timeout' }, { kind: 'access-denied' });
    const ask1 = () => errorOf(h1.send(new ConverseCommand({ modelId: CLAUDE, messages: ask })));
    expect(await ask1()).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect(await ask1()).toMatchObject({ name: 'InternalServerException', status: 500 });
    expect(await ask1()).toMatchObject({ name: 'ModelTimeoutException', status: 408 });
    expect(await ask1()).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    const viaHeader = await fetch(`${emulator.url}/model/${CLAUDE}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-emulator-fault': 'throttle' },
      body: JSON.stringify({ messages: ask }),
    });
    expect(viaHeader.status).toBe(429);
    expect(viaHeader.headers.get('x-amzn-errortype')).toMatch(/^ThrottlingException/);
  });

  it('throttles mid-stream after text was sent', async () => {
    emulator.faults.push({ kind: 'throttle-mid-stream' });
    const response = await h1.send(
      new ConverseStreamCommand({
        modelId: CLAUDE,
        messages: [{ role: 'user', content: [{ text: 'tell me a long story please' }] }],
      }),
    );
    let text = '';
    const failure = await errorOf(
      (async () => {
        for await (const event of response.stream ?? []) text += event.contentBlockDelta?.delta?.text ?? '';
      })(),
    );
    expect(text.length).toBeGreaterThan(0);
    expect(failure.name).toBe('ThrottlingException');
  });

  it('answers unknown routes like Bedrock and requires auth when asked', async () => {
    const response = await fetch(`${emulator.url}/model/x/invoke-something`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      Output: { __type: 'com.amazon.coral.service#UnknownOperationException' },
      Version: '1.0',
    });
    const strict = await startEmulator({ port: 0, requireAuth: true });
    const bearer = new BedrockRuntimeClient({
      endpoint: strict.url,
      region: 'us-east-1',
      token: { token: 'not-a-key' },
      authSchemePreference: ['httpBearerAuth'],
    } as never);
    expect(await errorOf(bearer.send(new ConverseCommand({ modelId: CLAUDE, messages: ask })))).toMatchObject({
      name: 'AccessDeniedException',
      message: 'Invalid API Key format: Must start with pre-defined prefix',
    });
    const keyed = new BedrockRuntimeClient({
      endpoint: strict.url,
      region: 'us-east-1',
      token: { token: 'ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl' },
      authSchemePreference: ['httpBearerAuth'],
    } as never);
    expect((await keyed.send(new ConverseCommand({ modelId: CLAUDE, messages: ask }))).output).toBeDefined();
    expect(strict.requests.at(-1)?.error).toBeUndefined();
    keyed.destroy();
    const signed = new BedrockRuntimeClient({
      endpoint: strict.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 's' },
    });
    expect((await signed.send(new ConverseCommand({ modelId: CLAUDE, messages: ask }))).output).toBeDefined();
    bearer.destroy();
    signed.destroy();
    await strict.close();
  });

  it('reports prompt-cache writes then reads when the request has a cachePoint', async () => {
    const input = {
      // A model with prompt caching, and a prefix over its minimum of 1,024 tokens.
      modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      system: [{ text: 'You are a radio expert. '.repeat(200) }, { cachePoint: { type: 'default' as const } }],
      messages: [{ role: 'user' as const, content: [{ text: 'hello there' }] }],
    };
    const first = await h1.send(new ConverseCommand(input));
    expect(first.usage?.cacheWriteInputTokens).toBeGreaterThan(0);
    expect(first.usage?.cacheReadInputTokens).toBe(0);
    const second = await h1.send(new ConverseCommand(input));
    expect(second.usage?.cacheReadInputTokens).toBe(first.usage?.cacheWriteInputTokens);
  });

  it('caches nothing below the model minimum, nothing for a model without caching, and never Nova tools', async () => {
    const point = { cachePoint: { type: 'default' as const } };
    const ask = [{ role: 'user' as const, content: [{ text: 'hello there' }] }];
    const short = await h1.send(
      new ConverseCommand({
        modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        system: [{ text: 'Short.' }, point],
        messages: ask,
      }),
    );
    expect(short.usage?.cacheWriteInputTokens).toBe(0);
    const long = [{ text: 'You are a radio expert. '.repeat(200) }, point];
    const uncached = await h1.send(new ConverseCommand({ modelId: CLAUDE, system: long, messages: ask }));
    expect(uncached.usage?.cacheWriteInputTokens).toBeUndefined();
    const tools = Array.from({ length: 30 }, (_, i) => ({
      toolSpec: { name: `t${i}`, description: 'A tool. '.repeat(40), inputSchema: { json: { type: 'object' } } },
    }));
    const nova = await h1.send(
      new ConverseCommand({ modelId: 'us.amazon.nova-pro-v1:0', toolConfig: { tools }, system: long, messages: ask }),
    );
    // The system prompt is written; the tool definitions before it stay at the full input price.
    expect(nova.usage?.cacheWriteInputTokens).toBeGreaterThan(1000);
    expect(nova.usage?.inputTokens).toBeGreaterThan(JSON.stringify(tools).length / 4);
  });
});
