/**
 * A played turn on the wire: the Converse body, or ConverseStream's events in Bedrock's order (no
 * contentBlockStart for text; messageStop, then metadata), with usage estimated from the request's size.
 */
import { textPieces } from '../http/event-stream.js';
import { cacheUsage } from './prompt-cache.js';
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
 * Usage for one turn: a quarter of the bytes in, a quarter of the JSON out. With cache points, what the prompt
 * cache read and wrote is reported apart and not counted again in `inputTokens`, as Bedrock reports it
 * (docs/pricing.md); which prefixes are cached: prompt-cache.ts.
 */
export function usageOf(raw: string, modelId: string, body: WireRequest, turn: ModelTurn, cache: Set<string>): Usage {
  const total = estimateTokens(raw);
  const outputTokens = estimateTokens(JSON.stringify(turn.content));
  const cached = cacheUsage(modelId, body, cache);
  if (!cached) return { inputTokens: total, outputTokens, totalTokens: total + outputTokens };
  const inputTokens = Math.max(1, total - cached.cacheReadInputTokens - cached.cacheWriteInputTokens);
  // totalTokens counts the cached ones too: a recorded stream had input 4 + output 832 + cache read 1490 = 2326.
  return { inputTokens, outputTokens, totalTokens: total + outputTokens, ...cached };
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
