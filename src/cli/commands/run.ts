/** `mcp-bedrock run "<prompt>"`: one prompt through the tool loop; text or JSON on stdout. */
import type { ToolLoopResult } from '../../../bridge/index.js';
import { CliError } from '../cli-error.js';
import { defaultSessionsPath } from '../../sessions/sessions-path.js';
import { HELP } from '../help.js';
import { parseModelOptions } from '../options.js';
import { TerminalRenderer } from '../render.js';
import { openRuntime } from '../../runtime/runtime.js';
import { OFF_SCRIPT_STOP_REASON } from '../../emulator/off-script.js';

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

export function jsonResult(result: ToolLoopResult, modelId: string): object {
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
    })),
    usage: result.usage,
    turns: result.turns.length,
  };
}

export async function runCommand(argv: string[]): Promise<number> {
  const { options, positionals } = parseModelOptions(argv, process.env);
  if (options.help) {
    process.stdout.write(`${HELP['run']}\n\nSaved sessions (SQLite): ${defaultSessionsPath()}\n`);
    return 0;
  }
  let prompt = positionals.join(' ').trim();
  if (prompt === '' && !process.stdin.isTTY) prompt = (await readStdin()).trim();
  if (prompt === '')
    throw new CliError('CLI_NO_PROMPT', 'run expects a prompt: mcp-bedrock run "What is the top song on WZPZ?"');

  const runtime = await openRuntime(options, {});
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const renderer = options.json ? undefined : new TerminalRenderer(process.stdout, process.stderr, options.verbose);
    const conversation = await runtime.conversation(renderer?.onEvent);
    const result = await conversation.send(prompt, { signal: controller.signal });
    await runtime.save(conversation);
    if (options.json) process.stdout.write(`${JSON.stringify(jsonResult(result, options.model), null, 2)}\n`);
    else renderer?.endText();
    if (!options.json && result.stopReason !== 'end_turn' && result.stopReason !== 'stop_sequence') {
      process.stderr.write(`stopped: ${result.stopReason}\n`);
    }
    return exitCodeFor(result);
  } finally {
    process.off('SIGINT', onSigint);
    await runtime.close();
  }
}
