/**
 * Prompt caching as Bedrock does it, from AWS's "Prompt caching" guide and the rejections users reported
 * (docs/bedrock-evidence.md, "Prompt caching"): only the supported models cache; each checkpoint caches the prefix
 * before it (tools, then system, then messages; Nova never caches tools) once that prefix reaches the model's
 * minimum; Claude rejects more than four checkpoints. Reads and writes are counted apart from `inputTokens`.
 * Independent of the bridge's own table on purpose.
 */
import { createHash } from 'node:crypto';
import { baseId } from './model-traits.js';
import type { WireRequest } from './wire-request.js';

interface CacheTraits {
  minTokens: number;
  tools: boolean;
  /** Checkpoints beyond this are rejected (Claude's error); undefined: no rejection was reported. */
  maxCheckpoints?: number;
}

const claude = (minTokens: number): CacheTraits => ({ minTokens, tools: true, maxCheckpoints: 4 });

/** AWS's table of models with prompt caching and their minimum tokens per checkpoint. */
const CACHING: [RegExp, CacheTraits][] = [
  [/^anthropic\.claude-(3-7-sonnet|sonnet-4-5|sonnet-4-2|opus-4-1|opus-4-2)/, claude(1024)],
  [/^anthropic\.claude-3-5-haiku/, claude(2048)],
  [/^anthropic\.claude-sonnet-4-6/, claude(2048)],
  [/^anthropic\.claude-(haiku-4-5|opus-4-5|opus-4-6)/, claude(4096)],
  [/^amazon\.nova-(micro|lite|pro|premier|2-lite)/, { minTokens: 1000, tools: false }],
];

/** Token counts of one request: what it read from the cache, wrote to it, and the rest. */
export interface CacheUsage {
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

const isMark = (block: unknown): boolean => block !== null && typeof block === 'object' && 'cachePoint' in block;

/** The checkpoints of a request: `cachePoint` blocks among its tools, system blocks and message contents. */
function countMarks(body: WireRequest): number {
  const count = (list: unknown): number => (Array.isArray(list) ? list.filter(isMark).length : 0);
  let found = count((body.toolConfig as { tools?: unknown } | undefined)?.tools) + count(body.system);
  for (const message of Array.isArray(body.messages) ? body.messages : [])
    found += count((message as { content?: unknown } | null)?.content);
  return found;
}

/** Claude's rejection of a fifth checkpoint (a ValidationException users reported), or undefined. */
export function cachePointError(modelId: string, body: WireRequest): string | undefined {
  const traits = CACHING.find(([pattern]) => pattern.test(baseId(modelId)))?.[1];
  if (traits?.maxCheckpoints === undefined) return undefined;
  const found = countMarks(body);
  return found > traits.maxCheckpoints
    ? `A maximum of ${traits.maxCheckpoints} blocks with cache_control may be provided. Found ${found}.`
    : undefined;
}

/** The request's cacheable content in order, each checkpoint as `null`: tools, then system, then messages. */
function* sequence(body: WireRequest, tools: boolean): Generator<unknown> {
  const toolConfig = body.toolConfig as { tools?: unknown } | undefined;
  if (tools && Array.isArray(toolConfig?.tools)) yield* toolConfig.tools.map(orMark);
  if (Array.isArray(body.system)) yield* body.system.map(orMark);
  for (const message of Array.isArray(body.messages) ? body.messages : []) {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    yield { role };
    if (Array.isArray(content)) yield* content.map(orMark);
  }
}

function orMark(block: unknown): unknown {
  return isMark(block) ? null : block;
}

/**
 * What the request read from and wrote to `cache` (prefix hashes, per model): the longest checkpoint prefix
 * already cached is read, and the rest up to the last cacheable checkpoint is written. A prefix is the content
 * before a checkpoint, not the checkpoints themselves, so moving a checkpoint leaves the prefixes before it
 * intact. Undefined when the request has no checkpoint or the model does not cache.
 */
export function cacheUsage(modelId: string, body: WireRequest, cache: Set<string>): CacheUsage | undefined {
  const traits = CACHING.find(([pattern]) => pattern.test(baseId(modelId)))?.[1];
  if (!traits || countMarks(body) === 0) return undefined;
  // Nova caches system and messages only: its tool definitions are never part of a cached prefix.
  const hash = createHash('sha256').update(baseId(modelId));
  let chars = 0;
  let marks = 0;
  let read = 0;
  let last = 0;
  for (const item of sequence(body, traits.tools)) {
    if (item !== null) {
      const json = JSON.stringify(item);
      hash.update(json);
      chars += json.length;
      continue;
    }
    marks++;
    const tokens = Math.ceil(chars / 4);
    if (tokens < traits.minTokens) continue;
    const key = hash.copy().digest('hex');
    if (cache.has(key)) read = tokens;
    cache.add(key);
    last = tokens;
  }
  if (marks === 0) return undefined;
  return { cacheReadInputTokens: read, cacheWriteInputTokens: Math.max(0, last - read) };
}
