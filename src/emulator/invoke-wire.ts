/**
 * A played turn as InvokeModel answers for Anthropic Claude (docs/bedrock-evidence.md, "InvokeModel with Anthropic
 * Claude"): the Messages response (`msg_bdrk_…` id, `text` and `tool_use` blocks with `toolu_bdrk_…` ids,
 * `stop_reason`, `usage`), or for InvokeModelWithResponseStream Anthropic's stream events, each the base64 `bytes`
 * of a `chunk` event, the last (`message_stop`) carrying `amazon-bedrock-invocationMetrics`.
 */
import { randomBytes } from 'node:crypto';
import { anthropicModelName } from './invoke-body.js';
import type { ModelTurn } from './scenario-player.js';
import { textPieces, type Usage } from './turn-wire.js';
import type { Obj } from './wire-request.js';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const base62 = (length: number): string =>
  Array.from(randomBytes(length), (byte) => BASE62[byte % BASE62.length]).join('');

/** Anthropic's content blocks for a turn, the Converse blocks of the player translated. */
function anthropicContent(turn: ModelTurn): Obj[] {
  return turn.content.map((block): Obj => {
    if (typeof block['text'] === 'string') return { type: 'text', text: block['text'] };
    const use = block['toolUse'] as { name: string; input: Obj };
    return { type: 'tool_use', id: `toolu_bdrk_01${base62(22)}`, name: use.name, input: use.input };
  });
}

function anthropicUsage(usage: Usage): Obj {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheWriteInputTokens ?? 0,
    cache_read_input_tokens: usage.cacheReadInputTokens ?? 0,
    output_tokens: usage.outputTokens,
  };
}

function message(modelId: string, content: Obj[], usage: Obj, stopReason: string | null): Obj {
  return {
    id: `msg_bdrk_01${base62(22)}`,
    type: 'message',
    role: 'assistant',
    model: anthropicModelName(modelId),
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  };
}

/** The InvokeModel response body. */
export function invokeBody(turn: ModelTurn, usage: Usage, modelId: string): string {
  return JSON.stringify(message(modelId, anthropicContent(turn), anthropicUsage(usage), turn.stopReason));
}

/** The payloads of InvokeModelWithResponseStream's `chunk` events for one turn, in Anthropic's order. */
export function* invokeStreamEvents(turn: ModelTurn, usage: Usage, modelId: string): Generator<Obj> {
  const start = { ...anthropicUsage(usage), output_tokens: 1 };
  yield { type: 'message_start', message: message(modelId, [], start, null) };
  for (const [index, block] of anthropicContent(turn).entries()) {
    if (block['type'] === 'text') {
      yield { type: 'content_block_start', index, content_block: { type: 'text', text: '' } };
      for (const piece of textPieces(block['text'] as string)) {
        yield { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } };
      }
    } else {
      const { input, ...head } = block;
      yield { type: 'content_block_start', index, content_block: { ...head, input: {} } };
      const json = JSON.stringify(input);
      for (let i = 0; i < json.length; i += 20) {
        yield {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: json.slice(i, i + 20) },
        };
      }
    }
    yield { type: 'content_block_stop', index };
  }
  yield {
    type: 'message_delta',
    delta: { stop_reason: turn.stopReason, stop_sequence: null },
    usage: { output_tokens: usage.outputTokens },
  };
  yield {
    type: 'message_stop',
    'amazon-bedrock-invocationMetrics': {
      inputTokenCount: usage.inputTokens,
      outputTokenCount: usage.outputTokens,
      invocationLatency: 5,
      firstByteLatency: 2,
    },
  };
}

/** One stream event as the `chunk` payload that carries it: `{"bytes": base64 of its JSON}`. */
export const chunkPayload = (event: Obj): Obj => ({ bytes: Buffer.from(JSON.stringify(event)).toString('base64') });
