/** `mcp-bedrock chat`: an interactive conversation with streamed answers, tool activity and approvals. */
import type { ApprovalRequest, Conversation } from '../../../bridge/index.js';
import { defaultSessionsPath } from '../../sessions/sessions-path.js';
import { HELP } from '../help.js';
import { LineReader } from '../line-reader.js';
import { parseModelOptions } from '../options.js';
import { summarize, TerminalRenderer } from '../render.js';
import { openRuntime, type Runtime } from '../../runtime/runtime.js';

function usageLine(conversation: Conversation): string {
  const u = conversation.usage;
  return `${u.inputTokens} input + ${u.outputTokens} output tokens (cache read ${u.cacheReadInputTokens}, write ${u.cacheWriteInputTokens}), ${Math.round(u.latencyMs)} ms model time`;
}

function toolsListing(runtime: Runtime): string {
  const lines: string[] = [];
  for (const server of runtime.servers()) {
    lines.push(`${server.name}: ${server.status}${server.error ? ` (${server.error})` : ''}`);
  }
  for (const tool of runtime.toolset.list()) lines.push(`  ${tool.name}  ← ${tool.server}/${tool.tool}`);
  return lines.join('\n');
}

export async function chatCommand(argv: string[]): Promise<number> {
  const { options } = parseModelOptions(argv, process.env);
  if (options.help) {
    process.stdout.write(`${HELP['chat']}\n\nSaved sessions (SQLite): ${defaultSessionsPath()}\n`);
    return 0;
  }
  const reader = new LineReader(process.stdin, process.stdout);
  const approve = async (request: ApprovalRequest): Promise<boolean | { approved: boolean; reason: string }> => {
    const { server, tool } = request.descriptor;
    const answer = await reader.ask(`  ? allow ${server} › ${tool} ${summarize(request.input)} [y/N] `);
    return /^\s*y(es)?\s*$/i.test(answer ?? '') ? true : { approved: false, reason: 'the user declined' };
  };
  const runtime = await openRuntime(options, { approve });
  const renderer = new TerminalRenderer(process.stdout, process.stdout, options.verbose);
  const conversation = await runtime.conversation(renderer.onEvent);
  let turn: AbortController | undefined;
  const onSigint = (): void => {
    if (turn) turn.abort();
    else reader.close();
  };
  process.on('SIGINT', onSigint);
  try {
    process.stdout.write(
      `mcp-bedrock chat · ${options.model} · ${runtime.toolset.list().length} tools · /tools /usage /reset /exit\n`,
    );
    if (conversation.messages.length > 0)
      process.stdout.write(`(resumed session "${options.session}", ${conversation.messages.length} messages)\n`);
    for (;;) {
      const line = await reader.ask('you › ');
      if (line === undefined || line.trim() === '/exit') break;
      const input = line.trim();
      if (input === '') continue;
      if (input === '/tools') process.stdout.write(`${toolsListing(runtime)}\n`);
      else if (input === '/usage') process.stdout.write(`${usageLine(conversation)}\n`);
      else if (input === '/reset') {
        conversation.reset();
        await runtime.save(conversation);
        process.stdout.write('conversation cleared\n');
      } else {
        turn = new AbortController();
        try {
          renderer.begin('assistant › ');
          const result = await conversation.send(input, { signal: turn.signal });
          renderer.endText();
          if (result.stopReason !== 'end_turn' && result.stopReason !== 'stop_sequence')
            process.stdout.write(`  (stopped: ${result.stopReason})\n`);
        } catch (error) {
          renderer.endText();
          const e = error as { message?: string; code?: string };
          process.stdout.write(`  ✗ ${e.message ?? String(error)}${e.code ? ` [${e.code}]` : ''}\n`);
        } finally {
          turn = undefined;
          await runtime.save(conversation);
        }
      }
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    reader.close();
    await runtime.close();
  }
}
