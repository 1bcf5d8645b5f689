/**
 * Tokens as the user's bill (docs/prompt-caching.md, docs/pricing.md): a 10-turn conversation over the bundled
 * servers with prompt caching on and off (Claude and Nova), and the expense audit by direct tool calls, by code
 * mode, and by code mode with caching. All against the emulator, whose usage counts cache reads and writes apart
 * from `inputTokens` as Bedrock does; costs from the built-in price table.
 */
import {
  BedrockModelClient,
  combineToolsets,
  Conversation,
  estimateCost,
  filterToolset,
  HubToolset,
  LocalToolset,
  McpHub,
  type PromptCacheOptions,
  runToolLoop,
  ToolSearchToolset,
  type Toolset,
  type TurnUsage,
} from '../bridge/index.js';
import { defaultServers } from '../src/config/default-servers.js';
import { startEmulator } from '../src/emulator/index.js';
import { packageRoot } from '../src/package-root.js';
import { type CodeModeSavings, executeCodeTool, SandboxPool, toolsetInvoker } from '../src/sandbox/index.js';
import { catalogServers } from './catalog.js';
import type { BenchRow, BenchSuite } from './harness.js';

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const NOVA = 'us.amazon.nova-pro-v1:0';
const SYSTEM = 'You are the support assistant of AnyCompany. Answer from the tools; be brief.';
/** Ten user turns that the bundled scenarios answer, most of them with tool calls. */
const TEN_TURNS = [
  'What is the most popular song on WZPZ?',
  'my order is 14826',
  'I am anacarolina_silva@example.com, what are my orders?',
  'What is the most popular song on WKRP?',
  'My phone is 312-555-8204, what are my orders?',
  'What is the most popular song on KEXP?',
  "How many P's and E's are in 'Peter piper picked a peck of pickled peppers', multiplied?",
  'Which engineers exceeded their Q3 travel budget?',
  'What is the most popular song on WFMU?',
  'my order is 32057',
];
const AUDIT = 'Which engineers exceeded their Q3 travel budget?';
/** The tool-search scenarios (fixtures/converse/tool-search.json) and the start of each answer. */
const CATALOG_PROMPTS: [string, string][] = [
  ['Echo hello through the catalog', 'The server said: Echo: hello'],
  ['Add 2 and 3 through the catalog', 'The sum of 2 and 3 is 5'],
  ['Run operation 7 of service 3 for A-1', 'Operation 7 of service 3 answered: svc3.op_7 for A-1'],
];

/** The 250-tool catalog: input tokens per turn with tool search against sending every tool. */
async function toolSearchRows(client: BedrockModelClient): Promise<BenchRow[]> {
  const hub = new McpHub(catalogServers());
  await hub.start();
  try {
    const all = new HubToolset(hub);
    // Every tool sent: one turn of the same prompt (without search_tools the scenario has nothing to play).
    const full = await runToolLoop(CATALOG_PROMPTS[0]?.[0] ?? '', {
      client,
      modelId: CLAUDE,
      toolset: all,
      promptCache: false,
    });
    const fullPerTurn = full.usage.inputTokens / full.turns.length;
    let searchInput = 0;
    let searchTurns = 0;
    let reached = 0;
    for (const [prompt, answer] of CATALOG_PROMPTS) {
      const toolset = new ToolSearchToolset(all);
      const run = await runToolLoop(prompt, { client, modelId: CLAUDE, toolset, promptCache: false });
      searchInput += run.usage.inputTokens;
      searchTurns += run.turns.length;
      if (run.text.startsWith(answer) && run.toolCalls[0]?.name === 'search_tools') reached++;
    }
    const perTurn = searchInput / searchTurns;
    const share = pct(perTurn, fullPerTurn);
    return [
      row('250 tools: input tokens per turn, every tool sent', 'tokens', fullPerTurn, {
        note: `${all.list().length} tools`,
      }),
      row('250 tools: input tokens per turn, tool search', 'tokens', perTurn, {
        target: '≤ 20 % of every tool, all scenarios answered',
        ok: share <= 20 && reached === CATALOG_PROMPTS.length,
        note:
          `${share.toFixed(1)} % of every ` +
          `tool; ${reached}/${CATALOG_PROMPTS.length} scenarios answered after ` +
          `search_tools`,
      }),
    ];
  } finally {
    await hub.close();
  }
}

const row = (name: string, unit: string, value: number, extra: Partial<BenchRow> = {}): BenchRow => ({
  suite: 'tokens',
  name,
  unit,
  value,
  ...extra,
});

const usd = (modelId: string, usage: TurnUsage): number => estimateCost(modelId, usage)?.total ?? Number.NaN;
const pct = (part: number, whole: number): number => (whole === 0 ? 0 : (100 * part) / whole);

async function converse(
  client: BedrockModelClient,
  modelId: string,
  toolset: Toolset,
  prompts: readonly string[],
  promptCache: false | PromptCacheOptions,
): Promise<{ usage: TurnUsage; answers: string[] }> {
  const chat = new Conversation({ client, modelId, toolset, system: SYSTEM, promptCache, stream: false });
  const answers: string[] = [];
  for (const prompt of prompts) answers.push((await chat.send(prompt)).text);
  return { usage: chat.usage, answers };
}

function cachingRows(family: string, modelId: string, on: TurnUsage, off: TurnUsage, same: boolean): BenchRow[] {
  const drop = 100 - pct(on.inputTokens, off.inputTokens);
  const costOn = usd(modelId, on);
  const costOff = usd(modelId, off);
  const costDrop = 100 - pct(costOn, costOff);
  const claude = family === 'Claude';
  return [
    row(`10 turns, ${family}, caching off: input tokens at full price`, 'tokens', off.inputTokens, {
      note: `cost $${costOff.toFixed(4)}`,
    }),
    row(`10 turns, ${family}, caching on: input tokens at full price`, 'tokens', on.inputTokens, {
      note:
        `cache read ${on.cacheReadInputTokens}, write ${on.cacheWriteInputTokens}; cost $${costOn.toFixed(4)} ` +
        `(${costDrop.toFixed(1)} % less); ${same ? 'same answers' : 'ANSWERS DIFFER'}`,
    }),
    row(`10 turns, ${family}: full-price input drop with caching`, '%', drop, {
      ...(claude
        ? { target: '≥ 70 %', ok: drop >= 70 && costDrop > 0 && same }
        : { target: 'accepted, tools not cached', ok: same }),
    }),
  ];
}

export const tokensSuite: BenchSuite = {
  name: 'tokens',
  description:
    'Token bill: 10 turns with prompt caching on/off (Claude, Nova), 250 tools with tool search, and the ' +
    'expense audit direct vs code mode vs code mode with caching',
  async run(): Promise<BenchRow[]> {
    const root = packageRoot();
    const emulator = await startEmulator({ port: 0, logSize: 5 });
    const hub = new McpHub(defaultServers(root, { orders: ['--db', ':memory:'] }));
    await hub.start();
    const pool = new SandboxPool();
    const client = new BedrockModelClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    try {
      const tools = new HubToolset(hub);
      const rows: BenchRow[] = [];
      for (const [family, modelId] of [
        ['Claude', CLAUDE],
        ['Nova', NOVA],
      ] as const) {
        const off = await converse(client, modelId, tools, TEN_TURNS, false);
        const on = await converse(client, modelId, tools, TEN_TURNS, {});
        const same = JSON.stringify(on.answers) === JSON.stringify(off.answers);
        rows.push(...cachingRows(family, modelId, on.usage, off.usage, same));
      }

      rows.push(...(await toolSearchRows(client)));

      const expenses = filterToolset(tools, (d) => d.server === 'expenses');
      const kept: CodeModeSavings[] = [];
      const code = executeCodeTool({
        tools: expenses.list(),
        invoker: toolsetInvoker(expenses),
        pool,
        readOnly: true,
        onSavings: (saved) => kept.push(saved),
      });
      const coded = combineToolsets([filterToolset(expenses, () => false), new LocalToolset([code])]);
      const direct = await converse(client, CLAUDE, expenses, [AUDIT], false);
      const program = await converse(client, CLAUDE, coded, [AUDIT], false);
      const cached = await converse(client, CLAUDE, coded, [AUDIT], {});
      const thrice = await converse(client, CLAUDE, coded, [AUDIT, AUDIT, AUDIT], {});
      const thriceOff = await converse(client, CLAUDE, coded, [AUDIT, AUDIT, AUDIT], false);
      const fewer = 100 - pct(program.usage.totalTokens, direct.usage.totalTokens);
      const cheaper = 100 - pct(usd(CLAUDE, cached.usage), usd(CLAUDE, direct.usage));
      const answer = (a: string[]): string => (a[0] ?? '').split('\n').slice(1).join('\n');
      const same =
        answer(direct.answers) === answer(program.answers) && answer(program.answers) === answer(cached.answers);
      const audit = (label: string, u: TurnUsage): string =>
        `${label}: input ${u.inputTokens}, output ${u.outputTokens}, cache read ${u.cacheReadInputTokens}, ` +
        `write ${u.cacheWriteInputTokens}; cost $${usd(CLAUDE, u).toFixed(5)}`;
      rows.push(
        row('expense audit, direct tool calls: tokens', 'tokens', direct.usage.totalTokens, {
          note: audit('direct', direct.usage),
        }),
        row('expense audit, code mode: tokens', 'tokens', program.usage.totalTokens, {
          target: '≥ 90 % fewer than direct',
          ok: fewer >= 90 && same,
          note:
            `${fewer.toFixed(1)} % fewer; ${audit('code mode', program.usage)}; the first program kept ` +
            `${kept[0]?.keptOutTokens} tokens of ${kept[0]?.toolCalls} tool results out ` +
            `(returned ${kept[0]?.outputTokens})`,
        }),
        row('expense audit, code mode with caching: cost', 'USD per 1000 runs', 1000 * usd(CLAUDE, cached.usage), {
          note:
            `${cheaper.toFixed(1)} % cheaper than direct; ${audit('cached', cached.usage)}; ` +
            `${same ? 'same answer' : 'ANSWERS DIFFER'} (one prompt: the last turn's cache write is never read)`,
        }),
        row(
          'expense audit asked 3 times in one chat, code mode: cost with caching',
          'USD per 1000 runs',
          1000 * usd(CLAUDE, thrice.usage),
          {
            target: 'below code mode without caching',
            ok: usd(CLAUDE, thrice.usage) < usd(CLAUDE, thriceOff.usage),
            note:
              `${(100 - pct(usd(CLAUDE, thrice.usage), usd(CLAUDE, thriceOff.usage))).toFixed(1)} % less ` +
              `than without caching ($${usd(CLAUDE, thriceOff.usage).toFixed(5)})`,
          },
        ),
      );
      return rows;
    } finally {
      await pool.close();
      await hub.close();
      await emulator.close();
    }
  },
};
