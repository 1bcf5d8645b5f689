/**
 * The chat's own commands: /help, /tools, /mcp (status, reconnect, logs), /call (a tool called directly, like the
 * MCP Inspector), /prompts, /prompt and /resources (mcp-content.ts), /usage, /reset, /exit. Anything else starting with
 * "/" and a letter is an unknown command, not a message for the model.
 */
import type { Conversation, McpToolResult, Message } from '../../../bridge/index.js';
import type { Runtime } from '../../runtime/runtime.js';
import { failureDetails } from '../../runtime/runtime.js';
import { closest, didYouMean } from '../../suggest.js';
import { plural } from '../plural.js';
import type { Style } from '../style.js';
import { promptsListing, promptTurn, resourcesListing } from './mcp-content.js';
import { usageLine } from './usage-line.js';

/** What the chat loop does after a command: go on, quit, or send `send` (a server's prompt) as the user's turn. */
export type CommandOutcome = 'continue' | 'exit' | { send: Message[] };

/** What a command may use. */
export interface CommandContext {
  runtime: Runtime;
  conversation: Conversation;
  modelId: string;
  style: Style;
  print(text: string): void;
  /** A signal that aborts when the user presses Ctrl-C while the command runs (/call). */
  interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Estimated cost text for the conversation's usage, or undefined for an unpriced model. */
  cost(): string | undefined;
}

/** The keys and commands, for /help and the banner. */
export const CHAT_HELP = `Commands:
  /help                      this help
  /tools                     the tools the model is offered, by server
  /mcp                       each MCP server: status, process id, tools, restarts, last error
  /mcp reconnect NAME        restart a server now
  /mcp logs NAME             the server's last stderr lines and its log file
  /call SERVER TOOL {json}   call a tool yourself and see its raw result (no model involved)
  /prompts                   the servers' prompts and their arguments
  /prompt SERVER NAME [a=v]  send a server's prompt as your message
  /resources                 the servers' resources; @server:uri in a message attaches one
  /usage                     tokens and estimated cost of this conversation
  /reset                     start the conversation over
  /exit                      quit (also Ctrl-D)
Keys:
  Enter sends · "\\" at the end of a line continues on a new line · a pasted block is one message
  Up/Down: history (kept between chats) · Ctrl-C cancels the running answer, or clears the line
  Start a message with a space to send text that begins with "/".`;

const NAMES = ['help', 'tools', 'mcp', 'call', 'prompts', 'prompt', 'resources', 'usage', 'reset', 'exit', 'quit'];

/** True for input the chat handles itself. */
export function isCommand(input: string): boolean {
  return /^\/[A-Za-z]/.test(input);
}

function mcpStatus(context: CommandContext): string {
  const { style } = context;
  const lines = context.runtime.servers().map((s) => {
    const state =
      s.status === 'connected' ? style.green(s.status) : s.status === 'failed' ? style.red(s.status) : s.status;
    const tools =
      s.listed === s.tools ? plural(s.tools, 'tool') : `${s.tools} of ${plural(s.listed, 'tool')} (allow/deny lists)`;
    const parts = [`${s.name}: ${state}`, s.transport, ...(s.pid !== undefined ? [`pid ${s.pid}`] : []), tools];
    if (s.restarts > 0) parts.push(plural(s.restarts, 'restart'));
    const error = s.error ?? (s.lastError ? `last error: ${s.lastError}` : undefined);
    return `${parts.join(' · ')}${error ? `\n    ${style.dim(error)}` : ''}`;
  });
  return lines.length > 0 ? lines.join('\n') : 'no MCP servers configured';
}

function toolsListing(context: CommandContext): string {
  const byServer = new Map<string, string[]>();
  for (const tool of context.runtime.toolset.list()) {
    const name = tool.name === tool.tool ? tool.name : `${tool.name} (${tool.tool})`;
    byServer.set(tool.server, [...(byServer.get(tool.server) ?? []), name]);
  }
  if (byServer.size === 0) return 'no tools';
  return [...byServer].map(([server, names]) => `${server}: ${names.join(', ')}`).join('\n');
}

/** An MCP result as the Inspector shows it: text as text, structured content and other blocks as JSON. */
export function formatResult(result: McpToolResult, style: Style): string {
  const parts = (result.content ?? []).map((block) => {
    if (block.type === 'text') return block.text;
    if (block.type === 'image' || block.type === 'audio')
      return `[${block.type} ${block.mimeType}, ${Math.round((String(block.data).length * 3) / 4)} bytes]`;
    return JSON.stringify(block, null, 2);
  });
  if (result.structuredContent !== undefined)
    parts.push(`structuredContent: ${JSON.stringify(result.structuredContent, null, 2)}`);
  const body = parts.join('\n') || '(empty result)';
  return result.isError ? `${style.red('✗ the tool reported an error:')}\n${body}` : body;
}

async function call(context: CommandContext, args: string): Promise<void> {
  const match = /^(\S+)\s+(\S+)\s*([\s\S]*)$/.exec(args.trim());
  if (!match) {
    context.print('usage: /call SERVER TOOL {json arguments}, e.g. /call radio top_song {"sign": "WZPZ"}');
    return;
  }
  const [, server, tool, json] = match as unknown as [string, string, string, string];
  let input: unknown = {};
  if (json.trim() !== '') {
    try {
      input = JSON.parse(json);
    } catch (error) {
      context.print(`the arguments are not JSON: ${(error as Error).message}`);
      return;
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    context.print('the arguments must be a JSON object, e.g. {"sign": "WZPZ"}');
    return;
  }
  const known = context.runtime.servers().map((s) => s.name);
  if (!known.includes(server)) {
    context.print(`no MCP server "${server}"${didYouMean(server, known)}; servers: ${known.join(', ')}`);
    return;
  }
  if (!context.runtime.connected.allowed(server, tool)) {
    const listed = context.runtime.connected.hub.servers().find((s) => s.name === server)?.tools ?? [];
    const names = listed.map((t) => t.name);
    context.print(
      names.includes(tool)
        ? `${server}/${tool} is hidden by the config's allow/deny lists`
        : names.length > 0
          ? `${server} has no tool "${tool}"${didYouMean(tool, names)}; its tools: ${names.join(', ')}`
          : `${server} lists no tools: /mcp shows why, /mcp reconnect ${server} starts it again`,
    );
    return;
  }
  const started = performance.now();
  try {
    const result = await context.interruptible((signal) =>
      context.runtime.connected.hub.callTool(server, tool, input as Record<string, unknown>, { signal }),
    );
    context.print(formatResult(result, context.style));
    context.print(context.style.dim(`(${server} › ${tool}, ${Math.round(performance.now() - started)} ms)`));
  } catch (error) {
    context.print(context.style.red(`✗ ${(error as Error).message}`));
  }
}

async function mcp(context: CommandContext, args: string): Promise<void> {
  const [action, name] = args.trim().split(/\s+/);
  if (!action) {
    context.print(mcpStatus(context));
    return;
  }
  const servers = context.runtime.servers();
  const server = servers.find((s) => s.name === name);
  if ((action === 'reconnect' || action === 'logs') && !server) {
    const names = servers.map((s) => s.name);
    context.print(
      `usage: /mcp ${action} ` +
        `NAME${name ? `: no server "${name}"${didYouMean(name, names)}` : ''}; ` +
        `servers: ${names.join(', ')}`,
    );
    return;
  }
  if (action === 'reconnect' && server) {
    context.print(`restarting ${server.name}…`);
    const state = await context.runtime.connected.hub.reconnect(server.name);
    context.print(
      state.status === 'connected'
        ? `${state.name}: ` +
            `connected${state.pid !== undefined ? `, pid ${state.pid}` : ''}, ${plural(state.tools.length, 'tool')}`
        : `${state.name}: ${state.status} — ${state.error ?? ''}`,
    );
    return;
  }
  if (action === 'logs' && server) {
    const lines = server.stderr.length > 0 ? server.stderr : ['(nothing on stderr yet)'];
    context.print([...lines, ...failureDetails({ ...server, stderr: [] }, context.runtime.logs)].join('\n'));
    return;
  }
  context.print(
    'unknown /mcp action ' +
      `"${action}"${didYouMean(action, ['reconnect', 'logs'])}: /mcp, /mcp ` +
      'reconnect NAME, /mcp logs NAME',
  );
}

/** Runs one command line (starting with "/"). */
export async function runCommand(line: string, context: CommandContext): Promise<CommandOutcome> {
  const [, name = '', args = ''] = /^\/(\S+)\s*([\s\S]*)$/.exec(line.trim()) ?? [];
  switch (name) {
    case 'help':
      context.print(CHAT_HELP);
      return 'continue';
    case 'exit':
    case 'quit':
      return 'exit';
    case 'tools':
      context.print(toolsListing(context));
      return 'continue';
    case 'mcp':
      await mcp(context, args);
      return 'continue';
    case 'call':
      await call(context, args);
      return 'continue';
    case 'prompts':
      context.print(await promptsListing(context.runtime));
      return 'continue';
    case 'resources':
      context.print(await resourcesListing(context.runtime));
      return 'continue';
    case 'prompt': {
      const turn = await promptTurn(context.runtime, context.modelId, args);
      if ('messages' in turn) return { send: turn.messages };
      context.print(turn.error);
      return 'continue';
    }
    case 'usage': {
      const cost = context.cost();
      context.print(`${usageLine(context.conversation.usage)}${cost ? `\n${cost}` : ''}`);
      return 'continue';
    }
    case 'reset':
      context.conversation.reset();
      await context.runtime.save(context.conversation);
      context.print('conversation cleared');
      return 'continue';
    default:
      {
        const near = closest(name, NAMES);
        context.print(`unknown command /${name}${near ? ` (did you mean /${near}?)` : ''} — /help lists the commands`);
      }
      return 'continue';
  }
}
