/**
 * Issue 8 acceptance: the expense audit through the bridge in code mode, against the emulator (which sends the
 * reference program) and the real expenses server over stdio.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  BedrockModelClient,
  combineToolsets,
  Conversation,
  filterToolset,
  HubToolset,
  LocalToolset,
  McpHub,
} from '../../bridge/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { executeCodeTool, SandboxPool, toolsetInvoker, type ToolInvoker } from '../../src/sandbox/index.js';
import { bundledServers } from '../bridge/servers.js';

let emulator: Emulator;
let hub: McpHub;
let pool: SandboxPool;
beforeAll(async () => {
  pool = new SandboxPool();
  emulator = await startEmulator({ port: 0 });
  hub = new McpHub(bundledServers(['expenses', 'radio']));
  await hub.start();
}, 60_000);
afterAll(async () => {
  await pool.close();
  await hub.close();
  await emulator.close();
});

it('finds exactly Alice Chen, Emma Johnson and Grace Taylor over ' +
  'budget, with the expense calls running concurrently', async () => {
  const modelId = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
  const hubTools = new HubToolset(hub);
  const isExpense = (server: string) => server === 'expenses';
  const inner = toolsetInvoker(hubTools);
  let inFlight = 0;
  let maxInFlight = 0;
  const counting: ToolInvoker = {
    call: async (name, args, signal) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await inner.call(name, args, signal);
      } finally {
        inFlight--;
      }
    },
  };
  const codeTools = hubTools.list().filter((d) => isExpense(d.server));
  const tool = executeCodeTool({ tools: codeTools, invoker: counting, pool, readOnly: true });
  const toolset = combineToolsets([filterToolset(hubTools, (d) => !isExpense(d.server)), new LocalToolset([tool])]);
  // The model sees execute_code and the direct tools, never the expense tools themselves.
  expect(
    toolset
      .list()
      .map((d) => d.name)
      .sort(),
  ).toEqual(['execute_code', 'top_song']);

  const client = new BedrockModelClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
  });
  const conversation = new Conversation({ client, modelId, toolset });
  const result = await conversation.send('Which engineers exceeded their Q3 travel budget?');

  expect(result.toolCalls.map((c) => `${c.name}:${c.status}`)).toEqual(['execute_code:success']);
  const lines = result.text.split('\n').slice(1);
  expect(lines).toEqual([
    'Alice Chen: 9876.54 spent, budget 5000.00, over by 4876.54',
    'Emma Johnson: 5266.02 spent, budget 5000.00, over by 266.02',
    'Grace Taylor: 6474.46 spent, budget 5000.00, over by 1474.46',
  ]);
  expect(maxInFlight).toBeGreaterThanOrEqual(2);
  // Only the printed summary entered the conversation, not the ~150 kB of raw expense records.
  expect(JSON.stringify(result.messages).length).toBeLessThan(20_000);
}, 60_000);

it('answers the same audit by direct tool calling, at many times the tokens', async () => {
  const client = new BedrockModelClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
  });
  const direct = new Conversation({
    client,
    modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    toolset: new HubToolset(hub),
  });
  const result = await direct.send('Which engineers exceeded their Q3 travel budget?');
  expect(result.toolCalls.map((c) => c.tool)).toEqual([
    'get_team_members',
    ...Array(8).fill('get_expenses'),
    ...Array(8).fill('get_custom_budget'),
  ]);
  expect(result.text.split('\n').slice(1)).toEqual([
    'Alice Chen: 9876.54 spent, budget 5000.00, over by 4876.54',
    'Emma Johnson: 5266.02 spent, budget 5000.00, over by 266.02',
    'Grace Taylor: 6474.46 spent, budget 5000.00, over by 1474.46',
  ]);
  expect(result.usage.totalTokens).toBeGreaterThan(100_000);
});
