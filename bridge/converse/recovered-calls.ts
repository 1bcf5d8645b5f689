/**
 * Tool calls written as text become real toolUse blocks in history: for prompt-based models that is their only
 * way to call, and tool-capable models (Mistral Large) sometimes do it too. Only names of tools we sent count.
 */
import { randomBytes } from 'node:crypto';
import type { ContentBlock, Message } from './types.js';
import { parseTextToolCalls } from './text-tool-calls.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 9 alphanumerics: valid for every family, including Mistral's strict id rule. */
export function newToolUseId(): string {
  const bytes = randomBytes(9);
  let id = '';
  for (const byte of bytes) id += ALNUM[byte % ALNUM.length];
  return id;
}

/** The assistant message with text calls turned into toolUse blocks, or undefined when it holds none. */
export function recoverTextToolCalls(message: Message, knownTools: ReadonlySet<string>): Message | undefined {
  if (knownTools.size === 0 || message.content.some((block) => 'toolUse' in block)) return undefined;
  const prose: ContentBlock[] = [];
  const calls: ContentBlock[] = [];
  for (const block of message.content) {
    if (!('text' in block)) {
      prose.push(block);
      continue;
    }
    const parsed = parseTextToolCalls(block.text, knownTools);
    if (!parsed) {
      prose.push(block);
      continue;
    }
    if (parsed.text.trim() !== '') prose.push({ text: parsed.text });
    for (const call of parsed.calls)
      calls.push({ toolUse: { toolUseId: newToolUseId(), name: call.name, input: call.input } });
  }
  return calls.length > 0 ? { role: 'assistant', content: [...prose, ...calls] } : undefined;
}
