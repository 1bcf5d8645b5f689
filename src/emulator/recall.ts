/**
 * What a scenario remembers from earlier in the conversation, the way a model reads its whole history: an order
 * id the user gave two messages ago, the customer an earlier tool call found, the question the assistant just
 * asked. A scenario's `context` names each value and where it comes from (docs/web-chat.md, "Multi-turn
 * scenarios"); the scenario applies only when every required value is found.
 */
import { isObj, type Json, type Obj } from './wire-request.js';
import { z } from 'zod';
import { isTool } from './tool-call-forms.js';
import { readToolResult } from './tool-results.js';

/** One remembered value: exactly one source. */
export const RecallSpec = z
  .object({
    /** A regex over the user's earlier messages, newest first; the named group of the same name (or the match). */
    user: z.string().optional(),
    /** A regex over the assistant's last text before the user's message (what it just asked). */
    assistant: z.string().optional(),
    /** The latest result of this tool (by name or as the suffix of a prefixed name), as JSON. */
    tool: z.string().optional(),
    /** A missing optional value does not stop the scenario; templates then read "?". */
    optional: z.boolean().default(false),
  })
  .strict()
  .refine((s) => [s.user, s.assistant, s.tool].filter((v) => v !== undefined).length === 1, {
    message: 'a context entry takes exactly one of "user", "assistant" or "tool"',
  });
export type RecallSpec = z.infer<typeof RecallSpec>;

const blocksOf = (message: Obj): Obj[] =>
  Array.isArray(message['content']) ? (message['content'] as Json[]).filter(isObj) : [];
const textOf = (message: Obj): string =>
  blocksOf(message)
    .flatMap((b) => (typeof b['text'] === 'string' ? [b['text']] : []))
    .join('\n');

function latestToolResult(history: readonly Obj[], tool: string): Json | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const message = history[i] as Obj;
    if (message['role'] !== 'assistant') continue;
    const use = blocksOf(message)
      .map((b) => b['toolUse'])
      .filter(isObj)
      .findLast((u) => typeof u['name'] === 'string' && isTool(u['name'], tool));
    if (!use) continue;
    const answer = blocksOf((history[i + 1] as Obj | undefined) ?? {})
      .map((b) => b['toolResult'])
      .filter(isObj)
      .find((r) => r['toolUseId'] === use['toolUseId']);
    if (!answer) continue;
    // A failed call found nothing to remember.
    const read = readToolResult(answer);
    if (!read.error) return read.value;
  }
  return undefined;
}

function fromText(pattern: string, name: string, texts: Iterable<string>): string | undefined {
  const regex = new RegExp(pattern, 'i');
  for (const text of texts) {
    const match = regex.exec(text);
    if (match) return match.groups?.[name] ?? match[0];
  }
  return undefined;
}

function* userTextsNewestFirst(history: readonly Obj[]): Generator<string> {
  for (let i = history.length - 1; i >= 0; i--) {
    const message = history[i] as Obj;
    if (message['role'] === 'user') yield textOf(message);
  }
}

function lastAssistantText(history: readonly Obj[]): string[] {
  const last = history.findLast((m) => m['role'] === 'assistant' && textOf(m) !== '');
  return last ? [textOf(last)] : [];
}

/**
 * The values a scenario's `context` asks for, read from `history` (the messages before the user's latest one);
 * names already captured by the scenario's `match` are kept. `undefined` when a required value is missing.
 */
export function recall(
  context: Readonly<Record<string, RecallSpec>>,
  history: readonly Obj[],
  captured: Readonly<Record<string, string | undefined>>,
): Obj | undefined {
  const values: Obj = {};
  for (const [name, spec] of Object.entries(context)) {
    const have = captured[name];
    if (have !== undefined) continue;
    const value =
      spec.user !== undefined
        ? fromText(spec.user, name, userTextsNewestFirst(history))
        : spec.assistant !== undefined
          ? fromText(spec.assistant, name, lastAssistantText(history))
          : latestToolResult(history, spec.tool as string);
    if (value !== undefined) values[name] = value;
    else if (!spec.optional) return undefined;
  }
  return values;
}
