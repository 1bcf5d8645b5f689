/**
 * The `<thinking>`/`<reply>` convention of a system prompt, followed as Claude follows it: a prompt that asks
 * for user-facing text inside `<reply></reply>` gets its answers there, after the step's reasoning in
 * `<thinking></thinking>` (when the prompt asks for that too). The recorded exchanges of the AWS sample that
 * introduced the convention show both, and text with thinking before a tool call (docs/web-chat.md, "The reply
 * convention").
 */

/** What the system prompt asks for. */
export interface TagConvention {
  reply: boolean;
  thinking: boolean;
}

/** Reads which tags the system prompt asks for. */
export function tagConvention(system: string): TagConvention {
  return { reply: system.includes('<reply>'), thinking: system.includes('<thinking>') };
}

/** A final answer, written the way the prompt asks. */
export function tagAnswer(text: string, thinking: string | undefined, tags: TagConvention): string {
  if (!tags.reply) return text;
  const thought = tags.thinking && thinking ? `<thinking>\n${thinking}\n</thinking>\n\n` : '';
  return `${thought}<reply>\n${text}\n</reply>`;
}

/** The text that goes with a tool call: only the reasoning, when the prompt asks for it. */
export function tagCallText(text: string, thinking: string | undefined, tags: TagConvention): string {
  if (!tags.thinking || !thinking) return text;
  return `<thinking>\n${thinking}\n</thinking>${text ? `\n${text}` : ''}`;
}
