/**
 * InvokeModel with MCP tools (README, "Gateway mode"): the client's Anthropic Claude Messages body is read as the
 * Converse request it means, the tool loop runs on it as for Converse, and its answer goes back as the Messages
 * response (or InvokeModelWithResponseStream's `chunk` events) the client asked for (src/http/anthropic-messages.ts).
 */
import type { ConverseRequest, ConverseResponse, JsonObject } from '../../bridge/index.js';
import {
  anthropicContent,
  chunkPayload,
  MessagesTranslationError,
  messagesResponse,
  messagesStreamEvents,
  messagesUsage,
  toConverseParts,
} from '../http/anthropic-messages.js';
import { validation, type BedrockError } from '../http/bedrock-errors.js';
import { eventFrame } from '../http/event-stream.js';
import { fromWireJson, toWireJson } from '../http/wire-json.js';

/** The Converse request of a Messages body, or the ValidationException for a body that has none. */
export function converseRequestOf(body: JsonObject, modelId: string): ConverseRequest | BedrockError {
  try {
    return { ...fromWireJson<Omit<ConverseRequest, 'modelId'>>(JSON.stringify(toConverseParts(body))), modelId };
  } catch (error) {
    if (!(error instanceof MessagesTranslationError)) throw error;
    return validation(
      `The gateway cannot add its MCP tools to this InvokeModel body: ${error.message} has no Converse ` +
        `equivalent. Send it to a gateway without MCP tools (--no-mcp), or use Converse.`,
    );
  }
}

/** The loop's answer as the Messages response. */
function messageOf(response: ConverseResponse, modelId: string): JsonObject {
  const content = JSON.parse(toWireJson(response.output.message.content)) as JsonObject[];
  return messagesResponse(modelId, anthropicContent(content), response.stopReason, messagesUsage(response.usage));
}

/** The InvokeModel response body. */
export const invokeResponseBody = (response: ConverseResponse, modelId: string): string =>
  JSON.stringify(messageOf(response, modelId));

/** InvokeModelWithResponseStream's frames for the answer. */
export function invokeStreamFrames(response: ConverseResponse, modelId: string): Uint8Array[] {
  return [...messagesStreamEvents(messageOf(response, modelId))].map((e) => eventFrame('chunk', chunkPayload(e)));
}
