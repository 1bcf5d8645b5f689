/**
 * A played turn as InvokeModel answers for Anthropic Claude (docs/bedrock-evidence.md, "InvokeModel with Anthropic
 * Claude"): the Messages response with Bedrock's `toolu_bdrk_…` ids for the model's calls, or for
 * InvokeModelWithResponseStream the same message as Anthropic's stream events in `chunk` frames.
 */
import {
  anthropicContent,
  bedrockAnthropicId,
  chunkPayload,
  messagesResponse,
  messagesStreamEvents,
  messagesUsage,
} from '../http/anthropic-messages.js';
import type { ModelTurn } from './scenario-player.js';
import type { Usage } from './turn-wire.js';
import type { Obj } from './wire-request.js';

/** The turn's message: its calls get ids as Bedrock writes them for Claude. */
function turnMessage(turn: ModelTurn, usage: Usage, modelId: string): Obj {
  const content = anthropicContent(turn.content).map((b) =>
    b['type'] === 'tool_use' ? { ...b, id: bedrockAnthropicId('toolu') } : b,
  );
  return messagesResponse(modelId, content, turn.stopReason, messagesUsage(usage));
}

/** The InvokeModel response body. */
export const invokeBody = (turn: ModelTurn, usage: Usage, modelId: string): string =>
  JSON.stringify(turnMessage(turn, usage, modelId));

/** InvokeModelWithResponseStream's events for the turn, as `[event type, payload]` frames. */
export function invokeStreamFrames(turn: ModelTurn, usage: Usage, modelId: string): [string, object][] {
  return [...messagesStreamEvents(turnMessage(turn, usage, modelId))].map((e) => ['chunk', chunkPayload(e)]);
}
