/**
 * The official Anthropic TypeScript SDK, unmodified and given only baseURL and apiKey, against the built
 * `mcp-bedrock anthropic` in front of the built emulator: plain messages, streaming, client tools, the write-up's
 * programmatic tool calling with the expense tools as client tools, and with them as MCP tools on the server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { bareEnv, runCli, serveCli, type Served } from '../support/cli-process.js';
import { answerToolCalls, EXPENSE_QUESTION, expenseTools, OVER_BUDGET } from '../../bench/expense-client-tools.js';
import { expectSdkShape } from './sdk-shapes.js';

const MODEL = 'claude-sonnet-4-5-20250929';
let home: string;
let emulator: Served;
let server: Served;
let withMcp: Served;
let keyed: Served;
let client: Anthropic;
const KEYS = ['sk-endpoint-key-one-0123456789', 'sk-endpoint-key-two-0123456789'];

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'anthropic-sdk-'));
  const env = bareEnv(home);
  emulator = await serveCli(['emulator', '--port', '0'], env);
  const config = join(home, 'expenses.json');
  const expenses = join(process.cwd(), 'dist', 'servers', 'expenses', 'main.js');
  writeFileSync(config, JSON.stringify({ mcpServers: { expenses: { command: process.execPath, args: [expenses] } } }));
  const keys = join(home, 'keys.json');
  writeFileSync(keys, JSON.stringify({ apiKeys: KEYS }), { mode: 0o600 });
  const models = join(home, 'models.json');
  writeFileSync(models, JSON.stringify({ 'our-claude': 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0' }));
  [server, withMcp, keyed] = await Promise.all([
    serveCli(['anthropic', '--port', '0', '--upstream', emulator.url], env),
    serveCli(['anthropic', '--port', '0', '--upstream', emulator.url, '--config', config], env),
    serveCli(['anthropic', '--port', '0', '--upstream', emulator.url, '--keys', keys, '--models', models], env),
  ]);
  client = new Anthropic({ baseURL: server.url, apiKey: 'sk-ant-local-test' });
}, 120_000);

afterAll(async () => {
  await Promise.all([server?.stop(), withMcp?.stop(), keyed?.stop(), emulator?.stop()]);
  rmSync(home, { recursive: true, force: true });
});

const textOf = (message: Anthropic.Message | Anthropic.Beta.BetaMessage): string =>
  message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');

describe('the Anthropic SDK against mcp-bedrock anthropic', () => {
  it('answers a plain message with the Messages API shape', async () => {
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 512,
      messages: [{ role: 'user', content: 'I need help with an order' }],
    });
    expectSdkShape(message);
    expect(message.type).toBe('message');
    expect(message.id).toMatch(/^msg_/);
    expect(message.model).toBe(MODEL);
    expect(message.stop_reason).toBe('end_turn');
    expect(textOf(message)).toMatch(/order/i);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('streams the same answer as server-sent events the SDK assembles', async () => {
    const params = {
      model: MODEL,
      max_tokens: 512,
      messages: [{ role: 'user' as const, content: 'I need help with an order' }],
    };
    const stream = client.messages.stream(params);
    let streamed = '';
    stream.on('text', (delta) => (streamed += delta));
    const message = await stream.finalMessage();
    expectSdkShape(message);
    const plain = await client.messages.create(params);
    expect(streamed).toBe(textOf(plain));
    expect(textOf(message)).toBe(textOf(plain));
    expect(message.stop_reason).toBe('end_turn');
  });

  it('hands a client tool call back as tool_use and answers with its result', async () => {
    const tools: Anthropic.Tool[] = [
      {
        name: 'top_song',
        description: 'The most played song on a radio station right now.',
        input_schema: { type: 'object', properties: { sign: { type: 'string' } }, required: ['sign'] },
      },
    ];
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is the most popular song on WZPZ?' }];
    const first = await client.messages.create({ model: MODEL, max_tokens: 512, tools, messages });
    expectSdkShape(first);
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(call).toMatchObject({ name: 'top_song', input: { sign: 'WZPZ' }, caller: { type: 'direct' } });
    messages.push(
      { role: 'assistant', content: first.content },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: call?.id ?? '',
            content: '{"song": "Sunny Days", "artist": "The Lights"}',
          },
        ],
      },
    );
    const second = await client.messages.create({ model: MODEL, max_tokens: 512, tools, messages });
    expectSdkShape(second);
    expect(second.stop_reason).toBe('end_turn');
    expect(textOf(second)).toBe('The most popular song on WZPZ is Sunny Days by The Lights.');
  });

  it("runs the write-up's PTC request with the expense tools as client " +
    'tools: suspended program, caller, container', async () => {
    const tools = [{ type: 'code_execution_20250825' as const, name: 'code_execution' as const }, ...expenseTools()];
    const messages: Anthropic.Beta.BetaMessageParam[] = [{ role: 'user', content: EXPENSE_QUESTION }];
    const request = { model: MODEL, max_tokens: 4096, betas: ['advanced-tool-use-2025-11-20'], tools };
    let response = await client.beta.messages.create({ ...request, messages });
    const responses = [response];
    let programId: string | undefined;
    const calls: string[] = [];
    while (response.stop_reason === 'tool_use') {
      expectSdkShape(response);
      const server = response.content.find((b) => b.type === 'server_tool_use');
      if (server) programId = server.id;
      const uses = response.content.filter((b): b is Anthropic.Beta.BetaToolUseBlock => b.type === 'tool_use');
      expect(uses.length).toBeGreaterThan(0);
      for (const use of uses) {
        expect(use.caller).toEqual({ type: 'code_execution_20250825', tool_id: programId });
        calls.push(use.name);
      }
      expect(response.container?.id).toMatch(/^container_/);
      expect(Date.parse(response.container?.expires_at ?? '')).toBeGreaterThan(Date.now());
      messages.push(...answerToolCalls(response.content));
      response = await client.beta.messages.create({ ...request, messages, container: response.container?.id ?? null });
      responses.push(response);
    }
    expectSdkShape(response);
    expect(response.stop_reason).toBe('end_turn');
    // The program ran all of its calls through the client: the team, eight expense lists, three budgets.
    expect(calls).toEqual([
      'get_team_members',
      ...Array(8).fill('get_expenses'),
      ...Array(3).fill('get_custom_budget'),
    ]);
    // Fan-out: the eight expense lists were asked for in one response.
    expect(responses.some((r) => r.content.filter((b) => b.type === 'tool_use').length === 8)).toBe(true);
    const result = response.content.find((b) => b.type === 'code_execution_tool_result');
    expect(result).toMatchObject({
      tool_use_id: programId,
      content: { type: 'code_execution_result', return_code: 0 },
    });
    expect(textOf(response).split('\n').slice(1)).toEqual(OVER_BUDGET);
    // A next question with the whole history sent back: the finished program becomes an execute_code call and its
    // result for the model, its own calls are left out, and the history passes Bedrock's validation.
    messages.push(
      { role: 'assistant', content: response.content },
      { role: 'user', content: 'I need help with an order' },
    );
    const next = await client.beta.messages.create({ ...request, messages });
    expectSdkShape(next);
    expect(next.stop_reason).toBe('end_turn');
    expect(textOf(next)).toMatch(/order/i);
  }, 120_000);

  it('runs the same question in one request with the expense tools as MCP tools on the server side', async () => {
    const mcp = new Anthropic({ baseURL: withMcp.url, apiKey: 'sk-ant-local-test' });
    const response = await mcp.beta.messages.create({
      model: MODEL,
      max_tokens: 4096,
      betas: ['advanced-tool-use-2025-11-20'],
      tools: [{ type: 'code_execution_20250825', name: 'code_execution' }],
      messages: [{ role: 'user', content: EXPENSE_QUESTION }],
    });
    expectSdkShape(response);
    expect(response.stop_reason).toBe('end_turn');
    expect(response.content.map((b) => b.type)).toEqual([
      'text',
      'server_tool_use',
      'code_execution_tool_result',
      'text',
    ]);
    const result = response.content[2] as Anthropic.Beta.BetaCodeExecutionToolResultBlock;
    expect((result.content as Anthropic.Beta.BetaCodeExecutionResultBlock).stdout.trim().split('\n')).toEqual(
      OVER_BUDGET,
    );
    expect(textOf(response).split('\n').slice(-3)).toEqual(OVER_BUDGET);
    // The same as a stream, assembled by the SDK's beta stream helper.
    const streamed = await mcp.beta.messages
      .stream({
        model: MODEL,
        max_tokens: 4096,
        betas: ['advanced-tool-use-2025-11-20'],
        tools: [{ type: 'code_execution_20250825', name: 'code_execution' }],
        messages: [{ role: 'user', content: EXPENSE_QUESTION }],
      })
      .finalMessage();
    expectSdkShape(streamed);
    expect(streamed.content.map((b) => b.type)).toEqual([
      'text',
      'server_tool_use',
      'code_execution_tool_result',
      'text',
    ]);
    expect(streamed.content[1]).toMatchObject({ input: { code: expect.stringContaining('asyncio.gather') } });
    expect(textOf(streamed)).toBe(textOf(response));
  }, 120_000);
});

describe('the rest of the API surface', () => {
  it('counts tokens and lists models as the SDK expects', async () => {
    const short = await client.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] });
    const long = await client.messages.countTokens({
      model: MODEL,
      system: 'You are a careful assistant.',
      messages: [{ role: 'user', content: 'Hi '.repeat(400) }],
    });
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.input_tokens).toBeGreaterThan(short.input_tokens);
    const models: Anthropic.ModelInfo[] = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models).toContainEqual({
      type: 'model',
      id: MODEL,
      display_name: 'Claude Sonnet 4.5',
      created_at: '2025-09-29T00:00:00Z',
    });
    expect((await client.models.retrieve(MODEL)).display_name).toBe('Claude Sonnet 4.5');
  });

  it('passes a Bedrock model id through, and takes more model names from --models', async () => {
    const nova = await client.messages.create({
      model: 'us.amazon.nova-pro-v1:0',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'I need help with an order' }],
    });
    expectSdkShape(nova);
    expect(nova.model).toBe('us.amazon.nova-pro-v1:0');
    expect(textOf(nova)).toMatch(/order/i);
    const named = new Anthropic({ baseURL: keyed.url, apiKey: KEYS[0] as string });
    const ids: string[] = [];
    for await (const model of named.models.list()) ids.push(model.id);
    expect(ids).toContain('our-claude');
    const ours = await named.messages.create({
      model: 'our-claude',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'I need help with an order' }],
    });
    expect(ours.model).toBe('our-claude');
    expect(textOf(ours)).toBe(textOf(nova));
    const bad = join(home, 'bad-models.json');
    writeFileSync(bad, JSON.stringify({ 'our-claude': 'not a model id' }));
    const refused = await runCli(['anthropic', '--port', '0', '--models', bad], bareEnv(home));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${bad}: "our-claude": expected a Bedrock model id, inference-profile id or ARN`);
  });

  it('answers with the Anthropic error types the SDK maps to its error classes', async () => {
    const unknown = client.messages.create({ model: 'claude-nonexistent', max_tokens: 10, messages: [] });
    await expect(unknown).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    await expect(unknown).rejects.toMatchObject({
      status: 404,
      error: { type: 'error', error: { type: 'not_found_error' } },
    });
    const response = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'k' },
      body: JSON.stringify({ model: MODEL, max_tokens: 10, messages: [], temprature: 0.5 }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: expect.stringContaining('Extra inputs are not permitted (temprature)'),
      },
    });
  });

  it("refuses a web page's request by its Host and Origin, as the gateway does", async () => {
    const status = (headers: Record<string, string>): Promise<[number, string]> =>
      new Promise((resolve, reject) => {
        const url = new URL(`${server.url}/v1/models`);
        const req = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            headers: { 'anthropic-version': '2023-06-01', ...headers },
          },
          (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve([res.statusCode ?? 0, body]));
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect((await status({ host: 'attacker.example' }))[0]).toBe(403);
    const [code, body] = await status({ origin: 'https://attacker.example' });
    expect(code).toBe(403);
    expect(JSON.parse(body)).toMatchObject({ error: { type: 'permission_error' } });
    expect((await status({}))[0]).toBe(200);
  });

  it('takes keys from --keys as x-api-key, and a suspended program ' +
    'resumes only for the key that started it', async () => {
    const wrong = new Anthropic({ baseURL: keyed.url, apiKey: 'sk-not-a-configured-key-000' });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    const [one, two] = KEYS.map((apiKey) => new Anthropic({ baseURL: keyed.url, apiKey }));
    const tools = [{ type: 'code_execution_20250825' as const, name: 'code_execution' as const }, ...expenseTools()];
    const request = { model: MODEL, max_tokens: 4096, tools };
    const messages: Anthropic.Beta.BetaMessageParam[] = [{ role: 'user', content: EXPENSE_QUESTION }];
    const first = await (one as Anthropic).beta.messages.create({ ...request, messages });
    expect(first.stop_reason).toBe('tool_use');
    const answer: Anthropic.Beta.BetaMessageParam[] = [...messages, ...answerToolCalls(first.content)];
    const container = first.container?.id ?? null;
    await expect(
      (two as Anthropic).beta.messages.create({ ...request, messages: answer, container }),
    ).rejects.toMatchObject({
      status: 400,
      error: { error: { type: 'invalid_request_error', message: expect.stringContaining('no program waits in it') } },
    });
    // Text while the program waits for tool results is refused, as Anthropic refuses it.
    const last = answer[2] as Anthropic.Beta.BetaMessageParam;
    const withText = [
      ...answer.slice(0, 2),
      {
        role: 'user' as const,
        content: [
          ...(last.content as Anthropic.Beta.BetaContentBlockParam[]),
          { type: 'text' as const, text: 'and hurry' },
        ],
      },
    ];
    await expect(
      (one as Anthropic).beta.messages.create({ ...request, messages: withText, container }),
    ).rejects.toMatchObject({
      status: 400,
      error: { error: { message: expect.stringContaining('only tool_result blocks') } },
    });
    const next = await (one as Anthropic).beta.messages.create({ ...request, messages: answer, container });
    expect(next.stop_reason).toBe('tool_use');
    expect(
      next.content.filter((b) => b.type === 'tool_use').map((b) => (b as Anthropic.Beta.BetaToolUseBlock).name),
    ).toEqual(Array(8).fill('get_expenses'));
  }, 120_000);

  it('will not listen beyond loopback without client keys', async () => {
    const refused = await runCli(
      ['anthropic', '--host', '0.0.0.0', '--port', '0', '--upstream', emulator.url],
      bareEnv(home),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/beyond loopback: give it client keys \(--keys FILE\)/);
  });
});
