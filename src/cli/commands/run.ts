/** `mcp-bedrock run "<prompt>"`: one prompt through the tool loop; text or JSON on stdout. */
import { BEDROCK_PRICES, estimateCost, type PriceTable, type ToolLoopResult } from '../../../bridge/index.js';
import type { CodeModeSavings } from '../../sandbox/index.js';
import { loadPrices } from '../../runtime/prices.js';
import { CliError } from '../cli-error.js';
import { defaultSessionsPath } from '../../sessions/sessions-path.js';
import { HELP } from '../help.js';
import { parseModelOptions } from '../options.js';
import { TerminalRenderer } from '../render.js';
import { OFF_SCRIPT_STOP_REASON } from '../../emulator/off-script.js';
import { denyWithoutYes, failureDetails, openRuntime } from '../../runtime/runtime.js';
import { plural } from '../plural.js';

const LIMIT_STOPS = new Set(['max_turns', 'token_budget', 'timeout', 'max_tokens']);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The offline emulator had no scenario for the prompt: its answer is its own notice, not a model's. */
const offScript = (result: ToolLoopResult): boolean => (result.stopReason as string) === OFF_SCRIPT_STOP_REASON;

export function exitCodeFor(result: ToolLoopResult): number {
  if (result.stopReason === 'aborted') return 130;
  if (offScript(result)) return 4;
  return LIMIT_STOPS.has(result.stopReason) ? 3 : 0;
}

/** The `run --json` document; `cost` is null for a model the price table does not know. */
export function jsonResult(
  result: ToolLoopResult,
  modelId: string,
  prices: PriceTable = BEDROCK_PRICES,
  savings: ReadonlyMap<string, CodeModeSavings> = new Map(),
): object {
  return {
    model: modelId,
    text: result.text,
    stopReason: result.stopReason,
    ...(offScript(result) && { offScript: true }),
    toolCalls: result.toolCalls.map((c) => ({
      server: c.server,
      tool: c.tool,
      name: c.name,
      input: c.input,
      status: c.status,
      durationMs: Math.round(c.durationMs),
      result: c.result.content,
      // Code mode: the tool results the program kept out of the conversation, next to what it returned.
      ...(savings.has(c.toolUseId) && { codeMode: savings.get(c.toolUseId) }),
    })),
    usage: result.usage,
    cost: estimateCost(modelId, result.usage, prices) ?? null,
    turns: result.turns.length,
  };
}

/** Exit codes: 0 answered, 1 failure (a server the prompt needed failed), 2 bad input, 3 limit, 130 Ctrl-C. */
export async function runCommand(argv: string[]): Promise<number> {
  const { options, positionals } = parseModelOptions('run', argv, process.env);
  if (options.help) {
    process.stdout.write(`${HELP['run']}\n\nSaved sessions (SQLite): ${defaultSessionsPath()}\n`);
    return 0;
  }
  let prompt = positionals.join(' ').trim();
  if (prompt === '' && !process.stdin.isTTY) prompt = (await readStdin()).trim();
  if (prompt === '')
    throw new CliError('CLI_NO_PROMPT', 'run expects a prompt: mcp-bedrock run "What is the top song on WZPZ?"');

  const prices = loadPrices(options.prices);
  const renderer = options.json ? undefined : new TerminalRenderer(process.stdout, process.stderr, options.verbose);
  const runtime = await openRuntime(options, {
    ...(renderer && { approve: renderer.approvals(denyWithoutYes) }),
  });
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const servers = runtime.servers();
    if (servers.length > 0 && servers.every((s) => s.status === 'failed')) {
      throw new CliError(
        'MCP_NO_SERVERS',
        `no MCP server could be started (${plural(servers.length, 'server')} configured, all failed; see above)`,
        1,
      );
    }
    const conversation = await runtime.conversation(renderer?.onEvent);
    const result = await conversation.send(prompt, { signal: controller.signal });
    await runtime.save(conversation);
    // Servers the prompt called that failed while it ran: the answer was given without them.
    const called = new Set(result.toolCalls.map((c) => c.server));
    const failed = runtime.failuresSinceStart().filter((f) => called.has(f.server));
    if (options.json) {
      const json = {
        ...jsonResult(result, options.model, prices, runtime.codeModeSavings),
        ...(failed.length > 0 && { failedServers: failed }),
      };
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else renderer?.endText();
    if (!options.json && result.stopReason !== 'end_turn' && result.stopReason !== 'stop_sequence') {
      process.stderr.write(`stopped: ${result.stopReason}\n`);
    }
    for (const { server, error } of failed) {
      process.stderr.write(`mcp-bedrock: MCP server "${server}" failed during this run: ${error}\n`);
      const info = runtime.servers().find((s) => s.name === server);
      if (info) for (const line of failureDetails(info, runtime.logs)) process.stderr.write(`${line}\n`);
    }
    return failed.length > 0 ? 1 : exitCodeFor(result);
  } finally {
    process.off('SIGINT', onSigint);
    await runtime.close();
  }
}
