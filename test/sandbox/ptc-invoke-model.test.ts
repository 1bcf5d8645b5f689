/**
 * The PTC write-up's part-1 orchestrator, offline: `invoke_model` with the Anthropic Messages body and one
 * `execute_code` tool, the model's program run in our Pyodide sandbox against the real expenses server, the
 * program's output sent back as the `tool_result`, the final answer. Through the AWS SDK's InvokeModelCommand to
 * the emulator, the same through a relaying gateway, and as one request to a gateway that runs `execute_code` itself
 * as an MCP-side tool (docs/emulator.md, "InvokeModel"; README, "Gateway mode"). Then the same requests from
 * unmodified boto3 (test/support/invoke_model_boto3.py), skipped with the reason where python3 or boto3 is missing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeModelCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubToolset, LocalToolset, McpHub } from '../../bridge/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startGateway, upstreamFrom, type Gateway } from '../../src/gateway/index.js';
import {
  executeCodeDescription,
  executeCodeTool,
  SandboxPool,
  toolsetInvoker,
  type CodeTool,
  type ToolInvoker,
} from '../../src/sandbox/index.js';
import { bundledServers } from '../bridge/servers.js';
import { bareEnv } from '../support/cli-process.js';
import { boto3Missing } from '../support/boto3.js';
import { sdkFor } from '../support/emulator-sdk.js';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
/** The write-up's query (docs/ptc.md §2.4, from the AWS benchmark notebook). */
const QUERY =
  'Which engineering team members exceeded their Q3 travel budget? Standard quarterly travel budget is $5,000. ' +
  'However, some employees have custom budget limits. For anyone who exceeded the $5,000 standard budget, check if ' +
  'they have a custom budget exception. If they do, use that custom limit instead to determine if they truly ' +
  'exceeded their budget.';
const SYSTEM = 'You are an expense analyst. Use execute_code to work with the expense tools; print only the findings.';
const OVER_BUDGET = [
  'Alice Chen: 9876.54 spent, budget 5000.00, over by 4876.54',
  'Emma Johnson: 5266.02 spent, budget 5000.00, over by 266.02',
  'Grace Taylor: 6474.46 spent, budget 5000.00, over by 1474.46',
];

interface Block {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: { code?: string };
}
interface Message {
  id: string;
  content: Block[];
  stop_reason: string;
  usage: { input_tokens: number; output_tokens: number };
}

let emulator: Emulator;
let hub: McpHub;
let pool: SandboxPool;
let codeTools: readonly CodeTool[];
let invoker: ToolInvoker;
let relayGateway: Gateway;
let toolGateway: Gateway;

beforeAll(async () => {
  pool = new SandboxPool();
  emulator = await startEmulator({ port: 0 });
  hub = new McpHub(bundledServers(['expenses']));
  await hub.start();
  const hubTools = new HubToolset(hub);
  codeTools = hubTools.list();
  invoker = toolsetInvoker(hubTools);
  const upstream = upstreamFrom({ endpoint: emulator.url });
  relayGateway = await startGateway({ port: 0, upstream });
  const executeCode = executeCodeTool({ tools: codeTools, invoker, pool, readOnly: true });
  toolGateway = await startGateway({ port: 0, upstream, toolset: new LocalToolset([executeCode]) });
}, 60_000);
afterAll(async () => {
  await relayGateway?.close();
  await toolGateway?.close();
  await pool?.close();
  await hub?.close();
  await emulator?.close();
});

/** InvokeModel through the AWS SDK, the body as the write-up's orchestrator builds it. */
async function invokeModel(endpoint: string, body: object): Promise<Message> {
  const sdk = sdkFor(endpoint);
  try {
    const out = await sdk.send(
      new InvokeModelCommand({ modelId: MODEL, contentType: 'application/json', body: JSON.stringify(body) }),
    );
    return JSON.parse(new TextDecoder().decode(out.body)) as Message;
  } finally {
    sdk.destroy();
  }
}

/** The orchestrator: call the model, run each execute_code program in the sandbox, send its output back. */
async function orchestrate(endpoint: string): Promise<{ answer: string; programs: number; calls: number }> {
  const executeCode = {
    name: 'execute_code',
    description: executeCodeDescription(codeTools, pool.limits),
    input_schema: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] },
  };
  const messages: { role: string; content: unknown }[] = [{ role: 'user', content: QUERY }];
  let programs = 0;
  for (let calls = 1; calls <= 5; calls++) {
    const body = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 4096,
      system: SYSTEM,
      tools: [executeCode],
      messages,
    };
    const response = await invokeModel(endpoint, body);
    messages.push({ role: 'assistant', content: response.content });
    if (response.stop_reason !== 'tool_use') {
      return { answer: response.content.map((b) => b.text ?? '').join(''), programs, calls };
    }
    const results = [];
    for (const use of response.content.filter((b) => b.type === 'tool_use' && b.name === 'execute_code')) {
      const sandbox = await pool.acquire();
      const run = await sandbox.execute(use.input?.code ?? '', codeTools, invoker);
      programs++;
      const output = run.status === 'ok' ? run.stdout : `Error: ${run.error ?? run.status}\n${run.stderr}`;
      results.push({
        type: 'tool_result',
        tool_use_id: use.id,
        content: output,
        ...(run.status !== 'ok' && { is_error: true }),
      });
    }
    messages.push({ role: 'user', content: results });
  }
  throw new Error('the orchestrator did not finish in 5 model calls');
}

describe("the write-up's part-1 orchestrator over InvokeModel", () => {
  it('finds Alice Chen, Emma Johnson and Grace Taylor: one program in the sandbox, two model calls', async () => {
    const { answer, programs, calls } = await orchestrate(emulator.url);
    expect(answer.split('\n').slice(1)).toEqual(OVER_BUDGET);
    expect([programs, calls]).toEqual([1, 2]);
    const asked = emulator.requests.slice(-2).map((r) => [r.operation, r.tools, r.answeredBy]);
    expect(asked).toEqual([
      ['invoke', ['execute_code'], 'expense audit in code mode'],
      ['invoke', ['execute_code'], 'expense audit in code mode'],
    ]);
  }, 60_000);

  it('gives the same answer through a relaying gateway, whose requests reach the emulator unchanged', async () => {
    const before = emulator.requests.length;
    const { answer } = await orchestrate(relayGateway.url);
    expect(answer.split('\n').slice(1)).toEqual(OVER_BUDGET);
    const relayed = emulator.requests.slice(before);
    expect(relayed.map((r) => [r.operation, (r.body as { messages: unknown[] }).messages.length])).toEqual([
      ['invoke', 1],
      ['invoke', 3],
    ]);
  }, 60_000);

  it('is one request to a gateway with execute_code as its own ' +
    'tool: the loop runs the program, stream or not', async () => {
    const body = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 4096,
      messages: [{ role: 'user', content: QUERY }],
    };
    const message = await invokeModel(toolGateway.url, body);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.id).toMatch(/^msg_bdrk_01/);
    // The client sees the answer only: the gateway's own execute_code call stays inside it.
    expect(message.content.map((b) => b.type)).toEqual(['text']);
    expect(message.content[0]?.text?.split('\n').slice(1)).toEqual(OVER_BUDGET);
    // Usage is every internal turn's.
    expect(message.usage.input_tokens).toBeGreaterThan(100);

    const sdk = sdkFor(toolGateway.url);
    const out = await sdk.send(
      new InvokeModelWithResponseStreamCommand({
        modelId: MODEL,
        contentType: 'application/json',
        body: JSON.stringify(body),
      }),
    );
    let text = '';
    const types: string[] = [];
    for await (const part of out.body ?? []) {
      const event = JSON.parse(new TextDecoder().decode(part.chunk?.bytes)) as {
        type: string;
        delta?: { text?: string };
      };
      types.push(event.type);
      text += event.delta?.text ?? '';
    }
    sdk.destroy();
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(text.split('\n').slice(1)).toEqual(OVER_BUDGET);
  }, 60_000);

  it('answers a body with no Converse equivalent with a ValidationException naming the member', async () => {
    const body = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 100,
      tools: [{ type: 'bash_20250124', name: 'bash' }],
      messages: [{ role: 'user', content: QUERY }],
    };
    const error = await invokeModel(toolGateway.url, body).then(
      () => new Error('accepted'),
      (e: Error) => e,
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('tools.0: the bash_20250124 tool has no Converse equivalent');
  });
});

const missing = boto3Missing();
if (missing) console.log(`boto3 InvokeModel test: skipped because ${missing}`);

describe.skipIf(missing !== undefined)(`boto3 invoke_model${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('sends the Messages body unmodified: top_song by invoke and stream, and the orchestrator request', async () => {
    // boto3 reads no credentials or config of the user's: a throwaway HOME.
    const home = mkdtempSync(join(tmpdir(), 'boto3-invoke-'));
    const env = {
      ...bareEnv(home),
      AWS_CONFIG_FILE: join(home, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
    };
    const script = join(process.cwd(), 'test', 'support', 'invoke_model_boto3.py');
    // Asynchronous: the gateway the script calls runs in this process.
    const { stdout, stderr, status } = await new Promise<{ stdout: string; stderr: string; status: number | null }>(
      (resolve) => {
        const child = spawn('python3', [script, emulator.url, toolGateway.url], { env });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('close', (code) => resolve({ stdout: out, stderr: err, status: code }));
      },
    );
    rmSync(home, { recursive: true, force: true });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const [zpzInvoke, zpaInvoke, zpzStream, zpaStream, orchestrator] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const song = 'The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.';
    const unknown = "I couldn't find that station: Station WZPA not found.";
    expect(
      [zpzInvoke, zpaInvoke, zpzStream, zpaStream].map((r) => [r?.['operation'], r?.['first'], r?.['answer']]),
    ).toEqual([
      ['invoke', 'tool_use', song],
      ['invoke', 'tool_use', unknown],
      ['invoke_stream', 'tool_use', song],
      ['invoke_stream', 'tool_use', unknown],
    ]);
    expect(zpzStream?.['metrics']).toBe(true);
    const content = orchestrator?.['content'] as { type: string; text: string }[];
    expect(orchestrator?.['stop']).toBe('end_turn');
    expect(content.map((b) => b.type)).toEqual(['text']);
    expect(content[0]?.text.split('\n').slice(1)).toEqual(OVER_BUDGET);
  }, 60_000);
});
