/**
 * Automatic prompt caching: where a request gets its `cachePoint` blocks. Bedrock caches the request's prefix
 * (tools, then system, then messages) up to each checkpoint; the placement and each family's rules are in
 * docs/prompt-caching.md. Pure and stateless: the checkpoints are placed on every request from the request alone,
 * never stored in the history, so they are the same after history repair, a resumed session or a model switch.
 */
import type { ModelCapabilities, PromptCacheRules } from './capabilities.js';
import type { CachePointBlock, ContentBlock, ConverseRequest, Message, SystemContentBlock, Tool } from './types.js';

/** How the bridge caches prompts; `false` (or `--no-cache`) sends requests without any cache point of its own. */
export interface PromptCacheOptions {
  /** `1h` where the model supports it (others keep Bedrock's default five minutes); default `5m`. */
  ttl?: '5m' | '1h';
}

/** A rough token count (a quarter of the JSON's characters), enough to tell whether a prefix can be cached. */
export function estimateTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value).length / 4);
}

/**
 * JSON lengths of the objects a request is built from, remembered per object: tool specs are cached per catalog and
 * history messages are sent as they are, so each is measured once, not on every request of a long conversation.
 * (An estimate for the minimum only: an object changed after it was measured keeps its first length.)
 */
const jsonLengths = new WeakMap<object, number>();

function jsonLength(value: object): number {
  let length = jsonLengths.get(value);
  if (length === undefined) {
    length = JSON.stringify(value).length;
    jsonLengths.set(value, length);
  }
  return length;
}

/** {@link estimateTokens} of `items` as one JSON array, from each item's remembered length. */
function estimateListTokens(items: readonly object[], count = items.length): number {
  let length = 2 + Math.max(0, count - 1);
  for (let i = 0; i < count; i++) length += jsonLength(items[i] as object);
  return Math.ceil(length / 4);
}

const notCachePoint = <T extends object>(block: T): boolean => !('cachePoint' in block);

function withoutCachePoints(message: Message): Message {
  return message.content.some((block) => 'cachePoint' in block)
    ? { role: message.role, content: message.content.filter(notCachePoint) }
    : message;
}

/** The indexes of the last two user messages, latest first: this turn's end and the previous turn's end. */
function lastUserTurns(messages: readonly Message[]): number[] {
  const found: number[] = [];
  for (let i = messages.length - 1; i >= 0 && found.length < 2; i--) if (messages[i]?.role === 'user') found.push(i);
  return found;
}

function point(rules: PromptCacheRules, options: PromptCacheOptions): { cachePoint: CachePointBlock } {
  return { cachePoint: options.ttl === '1h' && rules.longTtl ? { type: 'default', ttl: '1h' } : { type: 'default' } };
}

/**
 * `request` with the bridge's cache points: one after the tools (where the family caches tools), one after the
 * system prompt, and a rolling pair on the conversation (the last user turn, and the one before it, whose prefix
 * the previous request cached), each only where the prefix before it reaches the model's minimum, at most the
 * model's number of checkpoints. Cache points already in the request are replaced: the bridge places them all.
 * Models without prompt caching get the request as it is. Messages are copied only where a point is added.
 */
export function withCachePoints(
  request: ConverseRequest,
  caps: ModelCapabilities,
  options: PromptCacheOptions = {},
): ConverseRequest {
  const rules = caps.promptCache;
  if (!rules) return request;
  const tools: Tool[] = (request.toolConfig?.tools ?? []).filter(notCachePoint);
  const system: SystemContentBlock[] = (request.system ?? []).filter(notCachePoint);
  const messages = request.messages.map(withoutCachePoints);
  const mark = point(rules, options);
  let budget = rules.maxCheckpoints;
  let prefix = 0;

  if (rules.tools && tools.length > 0) {
    prefix += estimateListTokens(tools);
    if (prefix >= rules.minTokens && budget > 0) {
      tools.push(mark);
      budget--;
    }
  }
  if (rules.system && system.length > 0) {
    prefix += estimateListTokens(system);
    if (prefix >= rules.minTokens && budget > 0) {
      system.push(mark);
      budget--;
    }
  }
  if (rules.messages) {
    // The latest turn first: with one checkpoint left, the longest prefix is the one worth caching.
    for (const index of lastUserTurns(messages)) {
      if (budget === 0) break;
      const upTo = prefix + estimateListTokens(messages, index + 1);
      if (upTo < rules.minTokens) continue;
      const message = messages[index] as Message;
      messages[index] = { role: message.role, content: [...message.content, mark as ContentBlock] };
      budget--;
    }
  }

  const out: ConverseRequest = { ...request, messages };
  if (system.length > 0) out.system = system;
  if (request.toolConfig) out.toolConfig = { ...request.toolConfig, tools };
  return out;
}
