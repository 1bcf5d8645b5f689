/**
 * MCP sampling (`sampling/createMessage`) answered by the Bedrock model the bridge runs. Servers ask their client
 * for a completion (summarise this, classify that) and get it from Converse. `McpHub` advertises the sampling
 * capability only when it is given a handler, and some servers list tools only for clients that have it.
 */
import type { ContentBlock, ConverseRequest, InferenceConfiguration, Message } from '../converse/types.js';
import { repairHistory } from '../converse/history-repair.js';
import { capabilitiesFor } from '../converse/capabilities.js';
import type { ModelClient } from '../model/model-client.js';
import { mcpContentBlock, type McpContent } from './tool-results.js';
import { toWireRequest } from '../converse/wire-request.js';

/** The parts of MCP's CreateMessageRequest params a Converse call can honour. */
export interface SamplingRequest {
  messages: { role: 'user' | 'assistant'; content: McpContent | McpContent[] }[];
  systemPrompt?: string;
  maxTokens: number;
  temperature?: number;
  stopSequences?: string[];
}

// A type literal, not an interface: it must fit the MCP SDK's open result type (an index signature).
/** What a sampling handler answers a server with: the model's text, the model id and MCP's stop reason. */
export type SamplingResult = {
  role: 'assistant';
  content: { type: 'text'; text: string };
  model: string;
  stopReason: string;
};

/** Answers one server's sampling request; `server` says which server asked. */
export type SamplingHandler = (request: SamplingRequest, server: string) => Promise<SamplingResult>;

const STOP_REASONS: Record<string, string> = {
  end_turn: 'endTurn',
  max_tokens: 'maxTokens',
  stop_sequence: 'stopSequence',
};

/** The Converse request for a sampling request: roles alternated and the first turn a user's, as Bedrock requires. */
export function samplingRequest(request: SamplingRequest, modelId: string): ConverseRequest {
  const messages: Message[] = request.messages.map((message) => ({
    role: message.role,
    content: (Array.isArray(message.content) ? message.content : [message.content]).map(
      (item) => mcpContentBlock(item) as ContentBlock,
    ),
  }));
  const inferenceConfig: InferenceConfiguration = {
    maxTokens: request.maxTokens,
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    ...(request.stopSequences?.length && { stopSequences: request.stopSequences }),
  };
  return toWireRequest({
    modelId,
    caps: capabilitiesFor(modelId),
    messages: repairHistory(messages).messages,
    system: request.systemPrompt ? [{ text: request.systemPrompt }] : [],
    tools: [],
    inferenceConfig,
  });
}

/** A sampling handler that asks `modelId` through `client` (the server's model preferences are hints; ours wins). */
export function bedrockSampling(client: ModelClient, modelId: string): SamplingHandler {
  return async (request) => {
    const response = await client.converse(samplingRequest(request, modelId));
    const text = response.output.message.content.flatMap((block) => ('text' in block ? [block.text] : [])).join('');
    return {
      role: 'assistant',
      content: { type: 'text', text },
      model: modelId,
      stopReason: STOP_REASONS[response.stopReason] ?? response.stopReason,
    };
  };
}
