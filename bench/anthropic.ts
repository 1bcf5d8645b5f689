/**
 * The Anthropic endpoint: the write-up's expense question through the official Anthropic SDK, as its
 * benchmark measures it (claude_ptc's notebook: total tokens = Σ input + output over every API call), by direct
 * tool calling against programmatic tool calling with the same three client tools, and with them as MCP tools on
 * the server side. Tokens are the emulator's deterministic estimate, cache reads and writes included: the endpoint
 * places cache points by default (docs/prompt-caching.md), and `input_tokens` alone would leave out what was cached.
 */
import Anthropic from '@anthropic-ai/sdk';
import { HubToolset } from '../bridge/index.js';
import { startAnthropicServer } from '../src/anthropic/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { upstreamFrom } from '../src/gateway/index.js';
import { WireModelClient } from '../src/gateway/wire-model-client.js';
import { answerToolCalls, EXPENSE_QUESTION, expenseTools, OVER_BUDGET } from './expense-client-tools.js';
import { expensesHub } from './expenses-hub.js';
import type { BenchRow, BenchSuite } from './harness.js';

const MODEL = 'claude-sonnet-4-5-20250929';

interface ClientRun {
  calls: number;
  tokens: number;
  text: string;
}

/** Every token one call processed: `input_tokens` excludes what was read from or written to the cache. */
function allTokens(usage: Anthropic.Beta.BetaUsage): number {
  return (
    usage.input_tokens +
    usage.output_tokens +
    (usage.cache_creation_input_tokens ?? 0) +
    (usage.cache_read_input_tokens ?? 0)
  );
}

/** The client's loop: create, run the tool calls it got, send their results, until the model is done. */
async function runClient(client: Anthropic, tools: Anthropic.Beta.BetaToolUnion[]): Promise<ClientRun> {
  const messages: Anthropic.Beta.BetaMessageParam[] = [{ role: 'user', content: EXPENSE_QUESTION }];
  const request = { model: MODEL, max_tokens: 8000, betas: ['advanced-tool-use-2025-11-20'], tools };
  let response = await client.beta.messages.create({ ...request, messages });
  let calls = 1;
  let tokens = allTokens(response.usage);
  while (response.stop_reason === 'tool_use') {
    messages.push(...answerToolCalls(response.content));
    response = await client.beta.messages.create({ ...request, messages, container: response.container?.id ?? null });
    calls++;
    tokens += allTokens(response.usage);
  }
  const text = response.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
  return { calls, tokens, text };
}

const answers = (run: ClientRun): boolean => OVER_BUDGET.every((line) => run.text.includes(line));

export const anthropicSuite: BenchSuite = {
  name: 'anthropic',
  description:
    "Anthropic SDK → mcp-bedrock anthropic → emulator: the write-up's expense question, tokens by direct tool " +
    'calling vs programmatic tool calling (client tools, and MCP tools on the server side)',
  async run(): Promise<BenchRow[]> {
    const emulator = await startEmulator({ port: 0, logSize: 5 });
    const hub = expensesHub();
    await hub.start();
    const client = new WireModelClient(upstreamFrom({ endpoint: emulator.url }));
    const plain = await startAnthropicServer({ port: 0, client });
    const withMcp = await startAnthropicServer({ port: 0, client, toolset: new HubToolset(hub) });
    try {
      const sdk = new Anthropic({ baseURL: plain.url, apiKey: 'bench' });
      const direct = await runClient(sdk, expenseTools(['direct']));
      const codeExecution = { type: 'code_execution_20250825' as const, name: 'code_execution' as const };
      const ptc = await runClient(sdk, [codeExecution, ...expenseTools()]);
      const mcp = await runClient(new Anthropic({ baseURL: withMcp.url, apiKey: 'bench' }), [codeExecution]);
      const saved = (run: ClientRun): number => 1 - run.tokens / direct.tokens;
      const note = (run: ClientRun): string =>
        `${run.calls} API call${run.calls === 1 ? '' : 's'}; ${(saved(run) * 100).toFixed(1)} % fewer than ` +
        `direct; ${answers(run) ? 'right answer' : 'WRONG ANSWER'}`;
      return [
        {
          suite: 'anthropic',
          name: 'expense question tokens, direct tool calls (client tools)',
          unit: 'tokens',
          value: direct.tokens,
          note: `${direct.calls} API calls; ${answers(direct) ? 'right answer' : 'WRONG ANSWER'}`,
        },
        {
          suite: 'anthropic',
          name: 'expense question tokens, PTC with client tools',
          unit: 'tokens',
          value: ptc.tokens,
          target: '≥ 87 % fewer (the write-up: 87-92 %)',
          ok: saved(ptc) >= 0.87 && answers(ptc),
          note: note(ptc),
        },
        {
          suite: 'anthropic',
          name: 'expense question tokens, PTC with MCP tools on the server',
          unit: 'tokens',
          value: mcp.tokens,
          target: '≥ 87 % fewer, 1 API call',
          ok: saved(mcp) >= 0.87 && mcp.calls === 1 && answers(mcp),
          note: note(mcp),
        },
      ];
    } finally {
      await withMcp.close();
      await plain.close();
      await hub.close();
      await emulator.close();
    }
  },
};
