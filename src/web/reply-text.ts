/**
 * The user-facing part of an assistant's text under the `<thinking>`/`<reply>` convention (docs/web-chat.md,
 * "The reply convention"). Works on a text still being streamed: what it returns for a prefix is a prefix of what
 * it returns for the whole, so the page can show the reply as it arrives.
 */

const TAGS = ['<reply>', '</reply>', '<thinking>', '</thinking>'] as const;

/** Whether a system prompt asks for user-facing text inside `<reply>` tags. */
export function usesReplyTags(system: string | undefined): boolean {
  return system?.includes('<reply>') ?? false;
}

/** Drops an unfinished tag at the end of a streamed text (`…<rep`), which the next delta may complete. */
function withoutPartialTag(text: string): string {
  const lt = text.lastIndexOf('<');
  if (lt < 0) return text;
  const tail = text.slice(lt);
  return TAGS.some((tag) => tag.startsWith(tail) && tag !== tail) ? text.slice(0, lt) : text;
}

/** Text outside thinking blocks; a block left open hides the rest, a stray `</thinking>` what came before it. */
function outsideThinking(text: string): string {
  const stray = text.indexOf('</thinking>');
  const open = text.indexOf('<thinking>');
  let rest = stray >= 0 && (open < 0 || stray < open) ? text.slice(stray + '</thinking>'.length) : text;
  let out = '';
  for (;;) {
    const start = rest.indexOf('<thinking>');
    if (start < 0) return out + rest;
    out += rest.slice(0, start);
    const end = rest.indexOf('</thinking>', start);
    if (end < 0) return out;
    rest = rest.slice(end + '</thinking>'.length);
  }
}

/** The contents of every `<reply>` block; an open last block counts up to the end. */
function replies(text: string): string[] | undefined {
  const found: string[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('<reply>', from);
    if (start < 0) break;
    const end = text.indexOf('</reply>', start);
    found.push(text.slice(start + '<reply>'.length, end < 0 ? undefined : end));
    if (end < 0) break;
    from = end + '</reply>'.length;
  }
  return found.length > 0 ? found : undefined;
}

/**
 * What a customer sees of one model turn's text. `tagged`: the system prompt uses the reply convention, so only
 * `<reply>` contents show (or, once the turn is `final` without any, the text outside thinking, as the AWS sample's
 * client shows untagged text). Untagged: everything outside `<thinking>`. Unless `final`, trailing whitespace and
 * an unfinished tag are held back.
 */
export function visibleReply(raw: string, options: { tagged: boolean; final: boolean }): string {
  const text = options.final ? raw : withoutPartialTag(raw);
  const found = options.tagged ? replies(text) : undefined;
  const shown =
    found !== undefined
      ? found.map((r) => r.trim()).join('\n\n')
      : options.tagged && !options.final
        ? ''
        : outsideThinking(text)
            .replace(/<\/?reply>/g, '')
            .trim();
  return options.final ? shown : shown.trimEnd();
}

/** Every `<thinking>` block, and the text before a stray `</thinking>` (thinking left open in an earlier turn). */
function thinkingOf(raw: string): string[] {
  const parts: string[] = [];
  const stray = raw.indexOf('</thinking>');
  const open = raw.indexOf('<thinking>');
  if (stray >= 0 && (open < 0 || stray < open)) parts.push(raw.slice(0, stray));
  for (const match of raw.matchAll(/<thinking>([\s\S]*?)(?:<\/thinking>|$)/g)) parts.push(match[1] ?? '');
  return parts;
}

/**
 * Everything of one model turn's text that `visibleReply` does not show (for operators): under the reply
 * convention the text outside `<reply>` blocks (all of it in a turn that has none yet), otherwise the thinking
 * blocks. Tags are left out.
 */
export function reasoningOf(raw: string, options: { tagged: boolean; final: boolean }): string {
  const found = options.tagged ? replies(raw) : undefined;
  // Under the convention, a turn without a reply (yet) hides all of its text; once final, only its thinking.
  const allHidden = found !== undefined || (options.tagged && !options.final);
  const parts = allHidden ? [raw.replace(/<reply>[\s\S]*?(?:<\/reply>|$)/g, '\n\n')] : thinkingOf(raw);
  return parts
    .map((p) => p.replace(/<\/?(?:thinking|reply)>/g, '').trim())
    .filter(Boolean)
    .join('\n\n')
    .replace(/\n{3,}/g, '\n\n');
}
