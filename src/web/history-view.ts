/**
 * A saved conversation as one audience sees it: customers get their own messages and the assistant's replies;
 * operators also get the reasoning and a card per tool call with its arguments and result.
 */
import type { ContentBlock, Message, ToolDescriptor, ToolResultBlock } from '../../bridge/index.js';
import type { Role, ToolItem, ViewItem } from './api-types.js';
import { reasoningOf, visibleReply } from './reply-text.js';

/** What the projection needs to know besides the messages. */
export interface ViewOptions {
  role: Role;
  /** The system prompt uses the `<reply>` convention. */
  tagged: boolean;
  describe: (name: string) => ToolDescriptor | undefined;
  /** Durations of tool calls this process ran (the saved history has none). */
  durations?: ReadonlyMap<string, number>;
}

const textOf = (content: readonly ContentBlock[]): string =>
  content.flatMap((block) => ('text' in block ? [block.text] : [])).join('');

/** A tool result as text: text blocks as they are, JSON pretty-printed, other blocks named. */
export function resultText(result: ToolResultBlock): string {
  return result.content
    .map((block) =>
      'text' in block
        ? block.text
        : 'json' in block
          ? JSON.stringify(block.json, null, 2)
          : `[${Object.keys(block)[0]}]`,
    )
    .join('\n');
}

/** An assistant turn's text as an item for this audience, or nothing when there is nothing to show. */
export function assistantItem(raw: string, final: boolean, options: ViewOptions): ViewItem | undefined {
  const text = visibleReply(raw, { tagged: options.tagged, final });
  if (options.role === 'customer') return text ? { kind: 'assistant', text } : undefined;
  const thinking = reasoningOf(raw, { tagged: options.tagged, final });
  if (!text && !thinking) return undefined;
  return { kind: 'assistant', text, ...(thinking && { thinking }) };
}

/** Statuses a saved result can show: the loop records denials and timeouts as error results. */
function savedStatus(result: ToolResultBlock): ToolItem['status'] {
  const text = resultText(result);
  if (result.status !== 'error') return 'success';
  if (text.startsWith('The user denied this call')) return 'denied';
  if (text.startsWith('Not run:')) return 'not-run';
  return 'error';
}

export function historyItems(messages: readonly Message[], options: ViewOptions): ViewItem[] {
  const items: ViewItem[] = [];
  const tools = new Map<string, ToolItem>();
  for (const message of messages) {
    if (message.role === 'user') {
      const text = textOf(message.content).trim();
      if (text) items.push({ kind: 'user', text });
      for (const block of message.content) {
        if (!('toolResult' in block)) continue;
        const item = tools.get(block.toolResult.toolUseId);
        if (!item) continue;
        item.status = savedStatus(block.toolResult);
        item.result = resultText(block.toolResult);
      }
      continue;
    }
    const uses = message.content.flatMap((block) => ('toolUse' in block ? [block.toolUse] : []));
    const said = assistantItem(textOf(message.content), uses.length === 0, options);
    if (said) items.push(said);
    if (options.role === 'customer') continue;
    for (const use of uses) {
      const descriptor = options.describe(use.name);
      const duration = options.durations?.get(use.toolUseId);
      const item: ToolItem = {
        kind: 'tool',
        toolUseId: use.toolUseId,
        name: use.name,
        ...(descriptor && { server: descriptor.server, tool: descriptor.tool }),
        input: use.input,
        status: 'not-run',
        ...(duration !== undefined && { durationMs: duration }),
      };
      tools.set(use.toolUseId, item);
      items.push(item);
    }
  }
  return items;
}

/** A conversation's title: the start of its first message. */
export function titleOf(messages: readonly Message[]): string {
  const first = messages.find((m) => m.role === 'user' && textOf(m.content).trim() !== '');
  const text = first ? textOf(first.content).trim().replace(/\s+/g, ' ') : '';
  if (!text) return 'New conversation';
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
