/**
 * `mcp-bedrock chat`: an interactive conversation with a line editor (history kept between chats, multi-line
 * input, bracketed paste), streamed answers rendered as markdown on a terminal, tool activity, approvals, and
 * the chat's own commands (/help, /mcp, /call, …). Ctrl-C cancels the running turn only: the MCP servers run in
 * their own process groups and the in-flight calls get `notifications/cancelled`.
 */
import { isLoopbackHost } from '../../../bridge/entries/converse.js';
import { join } from 'node:path';
import {
  type ApprovalRequest,
  type ContentBlock,
  type ElicitationHandler,
  estimateCost,
  type Message,
} from '../../../bridge/index.js';
import { describeSource } from '../../config/index.js';
import { dataDir } from '../../data-dir.js';
import { formatUsd, loadPrices } from '../../runtime/prices.js';
import { declineElicitation } from '../../runtime/elicitation.js';
import { openRuntime, type Runtime } from '../../runtime/runtime.js';
import { defaultSessionsPath } from '../../sessions/sessions-path.js';
import { chatElicitation } from '../chat/elicitation-form.js';
import { ChatHistory } from '../chat/history.js';
import { MarkdownStream, markdownRenderer } from '../chat/markdown-stream.js';
import { withResources } from '../chat/mcp-content.js';
import { PipedInput } from '../chat/piped-input.js';
import { type CommandContext, isCommand, runCommand } from '../chat/slash-commands.js';
import { type ChatInput, TerminalInput } from '../chat/terminal-input.js';
import { HELP } from '../help.js';
import { type ModelOptions, parseModelOptions } from '../options.js';
import { openUrl } from '../open-url.js';
import { plural } from '../plural.js';
import { summarize, TerminalRenderer, type RenderTarget } from '../render.js';
import { styleFor } from '../style.js';

/** "Bedrock us-east-1", or the endpoint in use. */
function endpointLabel(options: ModelOptions): string {
  if (!options.endpoint) return `Amazon Bedrock ${options.region ?? 'us-east-1'}`;
  return URL.canParse(options.endpoint) && isLoopbackHost(new URL(options.endpoint).hostname)
    ? `local endpoint ${options.endpoint} (emulator or gateway)`
    : `endpoint ${options.endpoint}`;
}

function banner(options: ModelOptions, runtime: Runtime): string[] {
  const servers = runtime.servers();
  const up = servers.filter((s) => s.status === 'connected').length;
  return [
    `mcp-bedrock chat · ${options.model} · ${endpointLabel(options)}`,
    describeSource(runtime.source),
    `${plural(up, 'server')} of ${servers.length} connected ` +
      `(${servers.map((s) => s.name).join(', ') || 'none'}) ` +
      `· ${plural(runtime.toolset.list().length, 'tool')}`,
    '/help for commands and keys · Ctrl-C cancels an answer · Ctrl-D or /exit quits',
  ];
}

/** Exit code 0 when the chat ends normally. */
export async function chatCommand(argv: string[]): Promise<number> {
  const { options } = parseModelOptions('chat', argv, process.env);
  if (options.help) {
    process.stdout.write(`${HELP['chat']}\n\nSaved sessions (SQLite): ${defaultSessionsPath()}\n`);
    return 0;
  }
  const prices = loadPrices(options.prices);
  const out = process.stdout;
  const tty = Boolean(process.stdin.isTTY && out.isTTY);
  const style = styleFor(out);
  const history = new ChatHistory(join(dataDir(), 'chat-history.jsonl'));
  const input: ChatInput = tty ? new TerminalInput(process.stdin, out, history) : new PipedInput(process.stdin, out);
  const print = (text: string): void => input.notice(text);

  // The answer is rendered as markdown on a terminal; piped output gets the model's text as it streams.
  const text: RenderTarget = tty
    ? new MarkdownStream(out, await markdownRenderer(out.columns ?? 80, style.enabled))
    : out;
  const renderer = new TerminalRenderer(text, out, options.verbose, style);
  let interrupt: (() => void) | undefined;
  // Questions to the user (approvals, a server's form) come one at a time, with the spinner stopped.
  let questions: Promise<unknown> = Promise.resolve();
  const dialog = <T>(work: () => Promise<T>): Promise<T> => {
    const next = questions.then(() => renderer.whileAsking(work));
    questions = next.catch(() => {});
    return next;
  };
  const approve = renderer.approvals(async (request: ApprovalRequest) => {
    const { server, tool } = request.descriptor;
    const answer = await dialog(() => input.ask(`  ? allow ${server} › ${tool} ${summarize(request.input)} [y/N] `));
    if (answer === undefined) interrupt?.();
    return /^\s*y(es)?\s*$/i.test(answer ?? '') ? true : { approved: false, reason: 'the user declined' };
  });
  const form = chatElicitation({ ask: (q) => input.ask(q), print, style, openUrl: (url) => openUrl(url) });
  // A request while the chat waits at its prompt (no tool running) would fight the prompt for the terminal.
  const idle = declineElicitation('the chat was waiting at its prompt, not running a tool', print);
  const elicitation: ElicitationHandler = (request, server) =>
    interrupt ? dialog(() => form(request, server)) : idle(request, server);
  const runtime = await openRuntime(options, { approve, notice: print, elicitation, signIn: 'browser' });
  const conversation = await runtime.conversation(renderer.onEvent);
  // kill -INT from outside (a terminal's Ctrl-C arrives as a key): cancel the turn, or end the chat at a prompt.
  const onSignal = (): void => (interrupt ? interrupt() : input.close());
  process.on('SIGINT', onSignal);

  const interruptible = async <T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const controller = new AbortController();
    interrupt = () => controller.abort();
    const release = input.guard(() => controller.abort());
    try {
      return await work(controller.signal);
    } finally {
      release();
      interrupt = undefined;
    }
  };
  const context: CommandContext = {
    runtime,
    conversation,
    modelId: options.model,
    style,
    print: (t) => out.write(`${t}\n`),
    interruptible,
    cost: () => {
      const estimate = estimateCost(options.model, conversation.usage, prices);
      return (
        estimate && `estimated cost ${formatUsd(estimate.total)} (${estimate.priced} prices of ${estimate.priceDate})`
      );
    },
  };

  try {
    for (const line of banner(options, runtime)) out.write(`${style.dim(line)}\n`);
    if (conversation.messages.length > 0)
      out.write(`(resumed session "${options.session}", ${plural(conversation.messages.length, 'message')})\n`);
    let armed = false;
    for (;;) {
      const read = await input.read(style.bold('you › '), style.dim('… '));
      if (read.kind === 'eof') break;
      if (read.kind === 'interrupt') {
        if (read.cleared) continue;
        if (armed) break;
        armed = true;
        out.write(style.dim('(press Ctrl-C again to quit, or type /exit)\n'));
        continue;
      }
      armed = false;
      const message = read.text.trim() === '' ? '' : read.text.startsWith(' ') ? read.text.slice(1) : read.text;
      if (message.trim() === '') continue;
      let content: string | ContentBlock[];
      if (!read.text.startsWith(' ') && isCommand(message)) {
        const outcome = await runCommand(message, context);
        if (outcome === 'exit') break;
        if (outcome === 'continue') continue;
        // A server's prompt: the messages before its last are history, its last is the user's turn.
        conversation.messages.push(...outcome.send.slice(0, -1));
        content = (outcome.send.at(-1) as Message).content;
      } else {
        const attached = await withResources(runtime, options.model, message);
        if (!Array.isArray(attached) && typeof attached === 'object') {
          out.write(style.red(`  ✗ ${attached.error}\n`));
          continue;
        }
        content = attached;
      }
      let cancelled = false;
      try {
        const result = await interruptible(async (signal) => {
          signal.addEventListener('abort', () => {
            cancelled = true;
          });
          renderer.begin(style.bold('assistant › '));
          return conversation.send(content, { signal });
        });
        renderer.endText();
        if (cancelled || result.stopReason === 'aborted') out.write(style.yellow('  (cancelled)\n'));
        else if (result.stopReason !== 'end_turn' && result.stopReason !== 'stop_sequence')
          out.write(style.yellow(`  (stopped: ${result.stopReason})\n`));
      } catch (error) {
        renderer.endText();
        const e = error as { message?: string; code?: string };
        out.write(style.red(`  ✗ ${e.message ?? String(error)}${e.code ? ` [${e.code}]` : ''}\n`));
      } finally {
        await runtime.save(conversation).catch((e: Error) => print(`! saving session failed: ${e.message}`));
      }
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    input.close();
    await runtime.close();
  }
}
