/**
 * Record and replay (docs/emulator.md): a session recorded through the gateway (and through the SDK handler the
 * CLI's --record uses) against the emulator acting as Bedrock, replayed with `replay`, gives identical answers
 * through the unmodified AWS SDK, Converse and ConverseStream; no credential or signature reaches the disk.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseCommandInput,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BedrockModelClient, HubToolset, McpHub, type ConverseRequest } from '../../bridge/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startGateway, upstreamFrom, type Gateway } from '../../src/gateway/index.js';
import { createRecorder, RecordingRequestHandler } from '../../src/recording/index.js';
import { TOP_SONG, wzpzResult } from '../support/top-song.js';
import { bundledServers } from '../bridge/servers.js';

const ACCOUNT = '123456789012';
const MODEL = `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0`;
const UPSTREAM_KEY = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const SESSION_TOKEN = `IQoJb3JpZ2luX2VjEXAMPLE${'Zm9vYmFy'.repeat(12)}`;
const CLIENT_KEY = { accessKeyId: 'AKIACLIENTEXAMPLE123', secretAccessKey: 'clientSecretExampleKeyThatIsFortyChars00' };
const API_KEY = 'ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlLXNlY3JldA==';
const SECRETS = [
  UPSTREAM_KEY.accessKeyId,
  UPSTREAM_KEY.secretAccessKey,
  SESSION_TOKEN,
  CLIENT_KEY.accessKeyId,
  CLIENT_KEY.secretAccessKey,
  API_KEY,
  ACCOUNT,
  'Signature=',
  'AWS4-HMAC-SHA256',
  'Credential=',
];

const ask: Message[] = [{ role: 'user', content: [{ text: 'What is the most popular song on WZPZ?' }] }];

/** The whole top_song conversation, Converse then ConverseStream, with every answer as the SDK returned it. */
async function conversation(client: BedrockRuntimeClient, modelId = MODEL): Promise<unknown[]> {
  const answers: unknown[] = [];
  const input = (messages: Message[]): ConverseCommandInput => ({
    modelId,
    messages,
    toolConfig: { tools: [TOP_SONG] },
  });
  const first = await client.send(new ConverseCommand(input(ask)));
  const use = first.output?.message?.content?.find((b) => b.toolUse)?.toolUse;
  const result = wzpzResult(use?.toolUseId);
  const second = await client.send(new ConverseCommand(input([...ask, first.output?.message as Message, result])));
  const { $metadata: _a, ...firstAnswer } = first;
  const { $metadata: _b, ...secondAnswer } = second;
  answers.push(firstAnswer, secondAnswer);
  for (const messages of [ask, [...ask, first.output?.message as Message, result]]) {
    const stream = await client.send(new ConverseStreamCommand(input(messages)));
    const events: unknown[] = [];
    for await (const event of stream.stream ?? []) events.push(event);
    answers.push(events);
  }
  return answers;
}

const sdk = (endpoint: string, credentials = CLIENT_KEY): BedrockRuntimeClient =>
  new BedrockRuntimeClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

function filesOf(dir: string): string[] {
  return readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));
}

let emulator: Emulator;
const dirs: string[] = [];
const folder = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-bedrock-recording-'));
  dirs.push(dir);
  return dir;
};
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('record through the gateway, replay with the emulator', () => {
  let dir: string;
  let gateway: Gateway;
  let recorded: unknown[];
  beforeAll(async () => {
    dir = folder();
    gateway = await startGateway({
      port: 0,
      upstream: upstreamFrom({
        endpoint: emulator.url,
        credentials: { ...UPSTREAM_KEY, sessionToken: SESSION_TOKEN },
        recorder: createRecorder(dir),
      }),
    });
    const client = sdk(gateway.url);
    recorded = await conversation(client);
    client.destroy();
  });
  afterAll(() => gateway.close());

  it('writes one file per exchange, Converse and ConverseStream', () => {
    const names = readdirSync(dir).sort();
    expect(names).toHaveLength(4);
    expect(names.map((n) => n.split('-').slice(0, 2).join('-'))).toEqual([
      '0001-converse',
      '0002-converse',
      '0003-converse',
      '0004-converse',
    ]);
    expect(names.filter((n) => n.includes('converse-stream'))).toHaveLength(2);
  });

  it('writes no credential, signature, session token or account id to disk', () => {
    for (const text of filesOf(dir)) for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('writes each recording readable by its owner only (0600)', () => {
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
  });

  it('replays the conversation through the unmodified AWS SDK with identical answers', async () => {
    const replay = await startEmulator({ port: 0, replay: dir });
    const client = sdk(replay.url);
    // The same ARN with the account id: the digest scrubs it the way the recording did.
    expect(await conversation(client)).toEqual(recorded);
    client.destroy();
    await replay.close();
  });

  it('replays the stream byte for byte', async () => {
    const body = JSON.stringify({ messages: ask, toolConfig: { tools: [TOP_SONG] } });
    const path = `/model/${encodeURIComponent(MODEL)}/converse-stream`;
    // The gateway takes only JSON bodies (docs/security.md): fetch would label a string text/plain.
    const post = { method: 'POST', body, headers: { 'content-type': 'application/json' } };
    const live = Buffer.from(await (await fetch(`${gateway.url}${path}`, post)).arrayBuffer());
    const replay = await startEmulator({ port: 0, replay: dir });
    // The fifth recording is the one just made; the first stream recording answers first, so ask twice.
    await fetch(`${replay.url}${path}`, post).then((r) => r.arrayBuffer());
    const again = Buffer.from(await (await fetch(`${replay.url}${path}`, post)).arrayBuffer());
    expect(again.equals(live)).toBe(true);
    await replay.close();
  });

  it('names the nearest recording and the first difference on a miss', async () => {
    const replay = await startEmulator({ port: 0, replay: dir });
    const client = sdk(replay.url);
    const error = await client
      .send(
        new ConverseCommand({
          modelId: MODEL,
          messages: [{ role: 'user', content: [{ text: 'What is the most popular song on WKRP?' }] }],
          toolConfig: { tools: [TOP_SONG] },
        }),
      )
      .catch((e: Error) => e);
    expect((error as Error).name).toBe('ValidationException');
    expect((error as Error).message).toMatch(
      /^mcp-bedrock emulator \(replay\): no recording in .* matches this Converse/,
    );
    expect((error as Error).message).toContain('Nearest: 0001-converse-arn_aws_bedrock_us-east-1_000000000000');
    expect((error as Error).message).toContain(
      'differs at messages.0.content.0.text: recorded "What is the most popular song ' +
        'on WZPZ?", sent "What is the most popular song on WKRP?"',
    );
    client.destroy();
    await replay.close();
  });
});

it('creates a missing recordings folder, and its parents, for its owner only (0700)', () => {
  const parent = folder();
  const dir = join(parent, 'new', 'recordings');
  const recorder = createRecorder(dir);
  recorder.record({
    operation: 'converse',
    modelId: 'cohere.command-r-v1:0',
    requestBody: JSON.stringify({ messages: ask }),
    status: 200,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: Buffer.from(JSON.stringify({ output: { message: { role: 'assistant', content: [] } } })),
  });
  for (const created of [join(parent, 'new'), dir]) expect(statSync(created).mode & 0o777).toBe(0o700);
  const [file] = readdirSync(dir);
  expect(statSync(join(dir, file as string)).mode & 0o777).toBe(0o600);
});

it('records with a Bedrock API key upstream and keeps the key off the disk', async () => {
  const dir = folder();
  const gateway = await startGateway({
    port: 0,
    upstream: upstreamFrom({ endpoint: emulator.url, bearerToken: API_KEY, recorder: createRecorder(dir) }),
  });
  const client = sdk(gateway.url);
  await client.send(new ConverseCommand({ modelId: MODEL, messages: ask, toolConfig: { tools: [TOP_SONG] } }));
  client.destroy();
  await gateway.close();
  expect(readdirSync(dir)).toHaveLength(1);
  for (const text of filesOf(dir)) for (const secret of SECRETS) expect(text).not.toContain(secret);
});

it('records what the CLI sends through the SDK (run/chat --record) and replays it', async () => {
  const dir = folder();
  const recording = new BedrockModelClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { ...UPSTREAM_KEY, sessionToken: SESSION_TOKEN },
    requestHandler: new RecordingRequestHandler(createRecorder(dir)),
  });
  const request = { modelId: MODEL, messages: ask, toolConfig: { tools: [TOP_SONG] } } as ConverseRequest;
  const answer = await recording.converse(request);
  const streamed: unknown[] = [];
  for await (const event of recording.converseStream(request)) streamed.push(event);
  await recording.close();
  for (const text of filesOf(dir)) for (const secret of SECRETS) expect(text).not.toContain(secret);

  const replay = await startEmulator({ port: 0, replay: dir });
  const replaying = new BedrockModelClient({ endpoint: replay.url, region: 'us-east-1', credentials: CLIENT_KEY });
  expect(await replaying.converse(request)).toEqual(answer);
  const again: unknown[] = [];
  for await (const event of replaying.converseStream(request)) again.push(event);
  expect(again).toEqual(streamed);
  await replaying.close();
  await replay.close();
});

it("records the model calls of the gateway's own tool loop, and a gateway on the replay answers the same", async () => {
  const dir = folder();
  const hub = new McpHub(bundledServers(['radio']));
  await hub.start();
  const toolset = new HubToolset(hub);
  const question: Message[] = [{ role: 'user', content: [{ text: 'What is the most popular song on WZPZ?' }] }];
  const ask = async (url: string): Promise<string | undefined> => {
    const client = sdk(url);
    const answer = await client.send(new ConverseCommand({ modelId: 'cohere.command-r-v1:0', messages: question }));
    client.destroy();
    return answer.output?.message?.content?.[0]?.text;
  };
  try {
    const recording = await startGateway({
      port: 0,
      toolset,
      upstream: upstreamFrom({ endpoint: emulator.url, recorder: createRecorder(dir) }),
    });
    const live = await ask(recording.url);
    await recording.close();
    expect(live).toBe('The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.');
    // The tool call, then the answer from its result: two upstream exchanges.
    expect(readdirSync(dir)).toHaveLength(2);
    const replay = await startEmulator({ port: 0, replay: dir });
    const replaying = await startGateway({ port: 0, toolset, upstream: upstreamFrom({ endpoint: replay.url }) });
    expect(await ask(replaying.url)).toBe(live);
    await replaying.close();
    await replay.close();
  } finally {
    await hub.close();
  }
});
