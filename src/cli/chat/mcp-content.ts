/**
 * Servers' prompts and resources in the chat: `/prompts` and `/resources` list them, `/prompt SERVER NAME
 * [arg=value …]` gets a prompt to send as the user's turn, and `@server:uri` in a message attaches that resource
 * (text as text, binary as a document or image where the model reads it). See README ("Prompts and resources").
 */
import { capabilitiesFor } from '../../../bridge/entries/converse.js';
import { type ContentBlock, type Message, promptMessages, resourceBlocks } from '../../../bridge/index.js';
import type { Runtime } from '../../runtime/runtime.js';
import { didYouMean } from '../../suggest.js';
import { plural } from '../plural.js';

const connected = (runtime: Runtime): string[] =>
  runtime
    .servers()
    .filter((s) => s.status === 'connected')
    .map((s) => s.name);

const failure = (error: unknown): string => (error as Error).message ?? String(error);

/** Every connected server's prompts, with their arguments (`?` marks an optional one). */
export async function promptsListing(runtime: Runtime): Promise<string> {
  const { hub } = runtime.connected;
  const sections: string[] = [];
  for (const server of connected(runtime)) {
    try {
      const { items } = await hub.listPrompts(server);
      if (items.length === 0) continue;
      const lines = items.map((p) => {
        const args = (p.arguments ?? []).map((a) => `${a.name}${a.required ? '' : '?'}`).join(' ');
        return `  ${[p.name, args].filter(Boolean).join(' ')}${p.description ? ` — ${p.description}` : ''}`;
      });
      sections.push([`${server} (${plural(items.length, 'prompt')}):`, ...lines].join('\n'));
    } catch (error) {
      sections.push(`${server}: ✗ listing prompts failed: ${failure(error)}`);
    }
  }
  return sections.length > 0
    ? `${sections.join('\n')}\n/prompt SERVER NAME [arg=value …] sends one as your message`
    : 'no connected server offers prompts';
}

/** Every connected server's resources (as `@server:uri` to attach) and resource templates. */
export async function resourcesListing(runtime: Runtime): Promise<string> {
  const { hub } = runtime.connected;
  const sections: string[] = [];
  for (const server of connected(runtime)) {
    try {
      const [resources, templates] = await Promise.all([hub.listResources(server), hub.listResourceTemplates(server)]);
      if (resources.items.length === 0 && templates.items.length === 0) continue;
      const lines = resources.items.map((r) => {
        const about = [r.mimeType, r.description].filter(Boolean).join(', ');
        return (
          `  ` +
          `@${server}:${r.uri}${r.name && !r.uri.endsWith(r.name) ? ` ${r.name}` : ''}${about ? ` (${about})` : ''}`
        );
      });
      for (const t of templates.items) lines.push(`  @${server}:${t.uriTemplate} (template: ${t.name})`);
      sections.push([`${server}:`, ...lines].join('\n'));
    } catch (error) {
      sections.push(`${server}: ✗ listing resources failed: ${failure(error)}`);
    }
  }
  return sections.length > 0
    ? `${sections.join('\n')}\nWrite @server:uri in a message to attach one (fill in a template's {…} yourself)`
    : 'no connected server offers resources';
}

/** `name=value` pairs; a value may be quoted ("two words" or 'two words'). */
export function promptArguments(text: string): Record<string, string> | { error: string } {
  const args: Record<string, string> = {};
  const pattern = /\s*([^\s=]+)=(?:"([^"]*)"|'([^']*)'|(\S*))/y;
  let rest = text.trim();
  while (rest !== '') {
    pattern.lastIndex = 0;
    const match = pattern.exec(rest);
    if (!match) return { error: `expected name=value, got "${rest.split(/\s+/)[0]}"` };
    args[match[1] as string] = match[2] ?? match[3] ?? match[4] ?? '';
    rest = rest.slice(match[0].length).trim();
  }
  return args;
}

/**
 * The messages of `/prompt SERVER NAME [arg=value …]`, or what is wrong with the request (an unknown server or
 * prompt, a missing required argument, the server's error).
 */
export async function promptTurn(
  runtime: Runtime,
  modelId: string,
  line: string,
): Promise<{ messages: Message[] } | { error: string }> {
  const usage = 'usage: /prompt SERVER NAME [arg=value …] (/prompts lists them)';
  const match = /^(\S+)\s+(\S+)\s*([\s\S]*)$/.exec(line.trim());
  if (!match) return { error: usage };
  const [, server, name, rest] = match as unknown as [string, string, string, string];
  const servers = connected(runtime);
  if (!servers.includes(server))
    return {
      error: `no connected MCP server "${server}"${didYouMean(server, servers)}; connected: ${servers.join(', ')}`,
    };
  const args = promptArguments(rest);
  if ('error' in args) return { error: `${args.error}; ${usage}` };
  const { hub } = runtime.connected;
  try {
    const prompts = (await hub.listPrompts(server)).items;
    const prompt = prompts.find((p) => p.name === name);
    if (!prompt) {
      const names = prompts.map((p) => p.name);
      return {
        error:
          `${server} has no prompt "${name}"${didYouMean(name, names)}; ` +
          `its prompts: ${names.join(', ') || 'none'}`,
      };
    }
    const missing = (prompt.arguments ?? []).filter((a) => a.required && args[a.name] === undefined);
    if (missing.length > 0)
      return { error: `${server}'s ${name} needs ${missing.map((a) => `${a.name}=…`).join(' ')}` };
    const messages = promptMessages(await hub.getPrompt(server, name, args), capabilitiesFor(modelId));
    if (messages.at(-1)?.role !== 'user')
      return { error: `${server}'s ${name} ends with an assistant message, which cannot be sent as your turn` };
    return { messages };
  } catch (error) {
    return { error: `${server}'s ${name} failed: ${failure(error)}` };
  }
}

/** `@server:uri` mentions (after a space or an opening parenthesis) of `servers`, without trailing punctuation. */
export function mentions(text: string, servers: readonly string[]): { server: string; uri: string }[] {
  return [...text.matchAll(/(?<=^|[\s(])@([^\s:@]+):(\S+)/g)]
    .map((m) => ({ server: m[1] as string, uri: (m[2] as string).replace(/[.,;!?)\]]+$/, '') }))
    .filter((m) => servers.includes(m.server) && m.uri !== '');
}

/**
 * The content of a user message: its text and, for each `@server:uri` it mentions, the resource read from that
 * server; the plain text when it mentions none, or what could not be read.
 */
export async function withResources(
  runtime: Runtime,
  modelId: string,
  text: string,
): Promise<string | ContentBlock[] | { error: string }> {
  const found = mentions(text, connected(runtime));
  if (found.length === 0) return text;
  const caps = capabilitiesFor(modelId);
  const blocks: ContentBlock[] = [{ text }];
  for (const { server, uri } of found) {
    try {
      blocks.push(...resourceBlocks(await runtime.connected.hub.readResource(server, uri), caps));
    } catch (error) {
      return { error: `could not attach @${server}:${uri}: ${failure(error)} (/resources lists what there is)` };
    }
  }
  return blocks;
}
