/**
 * Puts a conversation into the shape Bedrock accepts before every call, whatever produced it (a crash mid-turn,
 * a hand-edited session, another client's history): Bedrock's rules, with the error texts behind them, in
 * docs/bedrock-evidence.md; the peers' bugs they prevent in docs/bedrock-model-quirks.md.
 *
 * - empty text blocks and empty messages removed; consecutive same-role messages merged (strict alternation);
 * - the conversation starts with a user turn;
 * - in assistant turns, text and reasoning come before toolUse;
 * - every toolUse gets exactly one toolResult in the next user turn, in toolUse order, before any other content;
 *   missing ones are answered with an error result, results that answer nothing are turned into text.
 */
import { errorResult } from './results.js';
import type { ContentBlock, Message, ToolResultBlock, ToolUseBlock } from './types.js';

/** A history made valid, and what was changed. */
export interface RepairedHistory {
  messages: Message[];
  /** What was changed, for logs; empty when the history was already valid. */
  repairs: string[];
}

/** The result text for a tool call whose result is missing from the history. */
export const INTERRUPTED_TOOL_TEXT =
  'The tool call was not completed (the conversation was interrupted before it returned).';

function isEmptyBlock(block: ContentBlock): boolean {
  return 'text' in block && block.text.trim() === '';
}

function mergeSameRoles(messages: readonly Message[], repairs: string[]): Message[] {
  const merged: Message[] = [];
  for (const message of messages) {
    const content = message.content.filter((block) => !isEmptyBlock(block));
    if (content.length < message.content.length) repairs.push('removed empty text blocks');
    if (content.length === 0) {
      repairs.push(`removed an empty ${message.role} message`);
      continue;
    }
    const previous = merged[merged.length - 1];
    if (previous?.role === message.role) {
      previous.content.push(...content);
      repairs.push(`merged consecutive ${message.role} messages`);
    } else {
      merged.push({ role: message.role, content });
    }
  }
  return merged;
}

function toolUsesOf(message: Message): ToolUseBlock[] {
  return message.content.flatMap((block) => ('toolUse' in block ? [block.toolUse] : []));
}

/**
 * A model's reply made ready for history: blank text removed (Bedrock rejects it when replayed) and prose before
 * tool calls. The loop applies it as each reply arrives, so later turns need no full repair.
 */
export function normalizeReply(message: Message): Message {
  const content = message.content.filter((block) => !isEmptyBlock(block));
  return orderAssistant({ role: 'assistant', content: content.length > 0 ? content : [{ text: '(no answer)' }] }, []);
}

/** Text and reasoning first, then toolUse blocks in their original order. */
function orderAssistant(message: Message, repairs: string[]): Message {
  const firstToolUse = message.content.findIndex((block) => 'toolUse' in block);
  if (firstToolUse < 0) return message;
  const lateProse = message.content.slice(firstToolUse).some((block) => !('toolUse' in block));
  if (!lateProse) return message;
  repairs.push('moved assistant text before its tool calls');
  const prose = message.content.filter((block) => !('toolUse' in block));
  const calls = message.content.filter((block) => 'toolUse' in block);
  return { role: 'assistant', content: [...prose, ...calls] };
}

function interrupted(toolUseId: string): ToolResultBlock {
  return errorResult(toolUseId, INTERRUPTED_TOOL_TEXT);
}

/** The user turn that answers `calls`: one result per call in call order, then the user's other content. */
function answerCalls(calls: readonly ToolUseBlock[], user: Message | undefined, repairs: string[]): Message {
  const results = new Map<string, ToolResultBlock>();
  const rest: ContentBlock[] = [];
  for (const block of user?.content ?? []) {
    if ('toolResult' in block) {
      const id = block.toolResult.toolUseId;
      if (calls.some((call) => call.toolUseId === id) && !results.has(id)) {
        results.set(id, block.toolResult);
        continue;
      }
      repairs.push(`turned an unmatched tool result (${id}) into text`);
      rest.push({ text: `(result of an earlier tool call ${id}) ${resultText(block.toolResult)}` });
    } else {
      rest.push(block);
    }
  }
  const answered = calls.map((call) => {
    const result = results.get(call.toolUseId);
    if (result) return { toolResult: result };
    repairs.push(`answered unanswered tool call ${call.toolUseId} with an error result`);
    return { toolResult: interrupted(call.toolUseId) };
  });
  return { role: 'user', content: [...answered, ...rest] };
}

function resultText(result: ToolResultBlock): string {
  return result.content
    .map((block) => ('text' in block ? block.text : 'json' in block ? JSON.stringify(block.json) : ''))
    .join(' ');
}

/** A user turn with no preceding toolUse may not carry toolResult blocks. */
function stripStrayResults(message: Message, repairs: string[]): Message {
  if (!message.content.some((block) => 'toolResult' in block)) return message;
  return answerCalls([], message, repairs);
}

/**
 * A history Bedrock accepts, from any history: a crash mid-turn, a hand-edited session, another client's
 * conversation. The input is not changed; `repairs` lists what was.
 */
export function repairHistory(input: readonly Message[]): RepairedHistory {
  const repairs: string[] = [];
  const merged = mergeSameRoles(input, repairs);
  if (merged[0]?.role === 'assistant') {
    repairs.push('added a user turn before the first assistant turn');
    merged.unshift({ role: 'user', content: [{ text: '(conversation resumed)' }] });
  }
  const messages: Message[] = [];
  for (let i = 0; i < merged.length; i++) {
    const message = merged[i] as Message;
    if (message.role === 'user') {
      // Reached only for user turns that follow no tool calls: results here answer nothing.
      messages.push(stripStrayResults(message, repairs));
      continue;
    }
    const assistant = orderAssistant(message, repairs);
    messages.push(assistant);
    const calls = toolUsesOf(assistant);
    const next = merged[i + 1];
    if (calls.length > 0) {
      messages.push(answerCalls(calls, next, repairs));
      if (next) i++;
    } else if (next?.content.some((block) => 'toolResult' in block)) {
      messages.push(stripStrayResults(next, repairs));
      i++;
    }
  }
  return { messages, repairs };
}
