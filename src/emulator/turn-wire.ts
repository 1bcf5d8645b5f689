/**
 * A played turn on the wire: the Converse body, or ConverseStream's events in Bedrock's order (no
 * contentBlockStart for text; messageStop, then metadata), with usage estimated from the request's size.
 */
import { createHash } from 'node:crypto';
import { textPieces } from '../http/event-stream.js';
import type { ModelTurn } from './scenario-player.js';
import type { WireRequest } from './wire-request.js';

/** Token usage as Bedrock reports it. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

const estimateTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

/**
 * Usage for one turn: a quarter of the bytes in, a quarter of the JSON out. Prompt caching is estimated the same
 * way: the request up to its last `cachePoint` is written to `cache` the first time and read from it afterwards.
 */
export function usageOf(raw: string, body: WireRequest, turn: ModelTurn, cache: Set<string>): Usage {
  const inputTokens = estimateTokens(raw);
  const outputTokens = estimateTokens(JSON.stringify(turn.content));
  const usage: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  const text = JSON.stringify([body.toolConfig ?? null, body.system ?? null, body.messages ?? null]);
  const end = text.lastIndexOf('"cachePoint"');
  if (end < 0) return usage;
  const prefix = createHash('sha256').update(text.slice(0, end)).digest('hex');
  const tokens = estimateTokens(text.slice(0, end));
  if (cache.has(prefix)) return { ...usage, cacheReadInputTokens: tokens, cacheWriteInputTokens: 0 };
  cache.add(prefix);
  return { ...usage, cacheReadInputTokens: 0, cacheWriteInputTokens: tokens };
}

/** The Converse response body. */
export function converseBody(turn: ModelTurn, usage: Usage): string {
  return JSON.stringify({
    output: { message: { role: 'assistant', content: turn.content } },
    stopReason: turn.stopReason,
    usage,
    metrics: { latencyMs: 5 },
  });
}

/** The events ConverseStream sends for one turn, in Bedrock's order. */
export function* streamEvents(turn: ModelTurn, usage: Usage): Generator<[string, object]> {
  yield ['messageStart', { role: 'assistant' }];
  for (const [index, block] of turn.content.entries()) {
    if (typeof block['text'] === 'string') {
      for (const piece of textPieces(block['text'])) {
        yield ['contentBlockDelta', { contentBlockIndex: index, delta: { text: piece } }];
      }
    } else {
      const use = block['toolUse'] as { toolUseId: string; name: string; input: unknown };
      yield [
        'contentBlockStart',
        { contentBlockIndex: index, start: { toolUse: { toolUseId: use.toolUseId, name: use.name } } },
      ];
      const json = JSON.stringify(use.input);
      for (let i = 0; i < json.length; i += 20) {
        yield ['contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input: json.slice(i, i + 20) } } }];
      }
    }
    yield ['contentBlockStop', { contentBlockIndex: index }];
  }
  yield ['messageStop', { stopReason: turn.stopReason }];
  yield ['metadata', { usage, metrics: { latencyMs: 5 } }];
}
