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
import { bareEnv, serveCli, type Served } from '../support/cli-process.js';
import { EXPENSE_QUESTION, expenseTools, OVER_BUDGET, runExpenseTool } from './expense-tools.js';
import { expectSdkShape } from './sdk-shapes.js';

const MODEL = 'claude-sonnet-4-5-20250929';
let home: string;
let emulator: Served;
let server: Served;
let withMcp: Served;
let client: Anthropic;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'anthropic-sdk-'));
  const env = bareEnv(home);
  emulator = await serveCli(['emulator', '--port', '0'], env);
  const config = join(home, 'expenses.json');
  const expenses = join(process.cwd(), 'dist', 'servers', 'expenses', 'main.js');
  writeFileSync(config, JSON.stringify({ mcpServers: { expenses: { command: process.execPath, args: [expenses] } } }));
  [server, withMcp] = await Promise.all([
    serveCli(['anthropic', '--port', '0', '--upstream', emulator.url], env),
    serveCli(['anthropic', '--port', '0', '--upstream', emulator.url, '--config', config], env),
  ]);
  client = new Anthropic({ baseURL: server.url, apiKey: 'sk-ant-local-test' });
}, 120_000);

afterAll(async () => {
  await Promise.all([server?.stop(), withMcp?.stop(), emulator?.stop()]);
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

  it("runs the write-up's PTC request with the expense tools as client tools: suspended program, caller, container", async () => {
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
      messages.push(
        { role: 'assistant', content: response.content },
        {
          role: 'user',
          content: uses.map((use) => ({
            type: 'tool_result' as const,
            tool_use_id: use.id,
            content: runExpenseTool(use.name, use.input as Record<string, unknown>),
          })),
        },
      );
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
  }, 120_000);
});
