/**
 * Code mode: sandbox start (first, making the snapshot, and from it), a program on a fresh pre-warmed child,
 * programs back to back, and the expense audit's tokens by direct tool calling versus one `execute_code` program
 * (the emulator's deterministic token estimate, summed over every turn).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BedrockModelClient,
  combineToolsets,
  Conversation,
  filterToolset,
  HubToolset,
  LocalToolset,
} from '../bridge/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { executeCodeTool, Sandbox, SandboxPool, toolsetInvoker } from '../src/sandbox/index.js';
import { expensesHub } from './expenses-hub.js';
import { stats, timeRepeated, type BenchRow, type BenchSuite } from './harness.js';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const QUESTION = 'Which engineers exceeded their Q3 travel budget?';

export const sandboxSuite: BenchSuite = {
  name: 'sandbox',
  description:
    'Pyodide sandbox: first start (makes the snapshot), cold start, a program on a pre-warmed child, programs ' +
    'back to back, and tokens of the expense audit (direct vs code mode)',
  async run(): Promise<BenchRow[]> {
    // The first start on a machine makes the interpreter snapshot: measured once, in a cache of its own.
    const cache = mkdtempSync(join(tmpdir(), 'bench-sandbox-cache-'));
    const userCache = process.env['XDG_CACHE_HOME'];
    process.env['XDG_CACHE_HOME'] = cache;
    let start = performance.now();
    (await Sandbox.start()).close();
    const first = performance.now() - start;
    const cold = await timeRepeated(async () => (await Sandbox.start()).close(), { warmup: 0, repetitions: 5 });
    if (userCache === undefined) delete process.env['XDG_CACHE_HOME'];
    else process.env['XDG_CACHE_HOME'] = userCache;
    rmSync(cache, { recursive: true, force: true });

    // Every program takes a fresh child from the pool; between programs the pool has loaded the next one,
    // as it has in a conversation, where a model turn separates two programs.
    const echo = { call: async () => ({ isError: false, text: 'ok' }) };
    const tool = { name: 'ping', description: 'ping', inputSchema: { type: 'object', properties: {} } };
    const warmPool = new SandboxPool();
    const warm: number[] = [];
    const withCall: number[] = [];
    for (let i = 0; i < 25; i++) {
      await warmPool.warmed();
      const sandbox = await warmPool.acquire();
      start = performance.now();
      await sandbox.execute('print(1)', [], echo);
      if (i >= 5) warm.push(performance.now() - start);
      await warmPool.warmed();
      const next = await warmPool.acquire();
      start = performance.now();
      await next.execute('print(await ping())', [tool], echo);
      if (i >= 5) withCall.push(performance.now() - start);
    }
    // Programs with no pause between them wait for the next child to load.
    await warmPool.warmed();
    const backToBack = await timeRepeated(async () => (await warmPool.acquire()).execute('print(1)', [], echo), {
      warmup: 0,
      repetitions: 10,
    });
    await warmPool.close();

    const emulator = await startEmulator({ port: 0, logSize: 5 });
    const hub = expensesHub();
    await hub.start();
    const pool = new SandboxPool();
    try {
      const client = new BedrockModelClient({
        endpoint: emulator.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
      });
      const hubTools = new HubToolset(hub);
      const direct = await new Conversation({ client, modelId: MODEL, toolset: hubTools }).send(QUESTION);
      const code = executeCodeTool({
        tools: hubTools.list(),
        invoker: toolsetInvoker(hubTools),
        pool,
        readOnly: true,
      });
      const codeToolset = combineToolsets([filterToolset(hubTools, () => false), new LocalToolset([code])]);
      const coded = await new Conversation({ client, modelId: MODEL, toolset: codeToolset }).send(QUESTION);
      const reduction = 1 - coded.usage.totalTokens / direct.usage.totalTokens;
      const same = direct.text.split('\n').slice(1).join('\n') === coded.text.split('\n').slice(1).join('\n');
      return [
        {
          suite: 'sandbox',
          name: 'first start on a machine (makes the snapshot)',
          unit: 'ms',
          value: first,
          samples: 1,
        },
        {
          suite: 'sandbox',
          name: 'cold start (spawn + restore the snapshot)',
          unit: 'ms',
          value: stats(cold).median,
          p90: stats(cold).p90,
          samples: cold.length,
          target: '< 3000 ms',
          ok: stats(cold).median < 3000,
        },
        {
          suite: 'sandbox',
          name: 'warm execution, print(1) (fresh pre-warmed child)',
          unit: 'ms',
          value: stats(warm).median,
          p90: stats(warm).p90,
          samples: warm.length,
          target: '< 50 ms',
          ok: stats(warm).median < 50,
        },
        {
          suite: 'sandbox',
          name: 'warm execution with one tool call',
          unit: 'ms',
          value: stats(withCall).median,
          p90: stats(withCall).p90,
          samples: withCall.length,
        },
        {
          suite: 'sandbox',
          name: 'programs back to back (each waits for its child)',
          unit: 'ms',
          value: stats(backToBack).median,
          p90: stats(backToBack).p90,
          samples: backToBack.length,
        },
        {
          suite: 'sandbox',
          name: 'expense audit tokens, direct tool calls',
          unit: 'tokens',
          value: direct.usage.totalTokens,
          note: `${direct.turns.length} model turns, ${direct.toolCalls.length} tool calls`,
        },
        {
          suite: 'sandbox',
          name: 'expense audit tokens, code mode',
          unit: 'tokens',
          value: coded.usage.totalTokens,
          target: '≥ 90 % fewer',
          ok: reduction >= 0.9 && same,
          note: `${(reduction * 100).toFixed(1)} % fewer; ${same ? 'same answer' : 'ANSWERS DIFFER'}`,
        },
      ];
    } finally {
      await pool.close();
      await hub.close();
      await emulator.close();
    }
  },
};
