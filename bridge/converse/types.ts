/**
 * Our own subset of the Bedrock Converse wire shapes (botocore service model 2023-09-30).
 *
 * Every union is written the way Bedrock defines it: exactly one member per block, required fields required.
 * The shapes are structurally compatible with `@aws-sdk/client-bedrock-runtime` so the adapter can pass them
 * through, but nothing outside that adapter depends on the SDK. Binary fields are `Uint8Array` in memory
 * (the SDK's choice) and base64 strings on the JSON wire.
 */

export type ConversationRole = 'user' | 'assistant';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';
export type DocumentFormat = 'pdf' | 'csv' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'html' | 'txt' | 'md';

export interface ImageBlock {
  format: ImageFormat;
  source: { bytes: Uint8Array };
}

export interface DocumentBlock {
  format?: DocumentFormat;
  name: string;
  source: { bytes: Uint8Array } | { text: string };
}

export interface ToolUseBlock {
  toolUseId: string;
  name: string;
  input: JsonValue;
}

export type ToolResultContentBlock =
  | { text: string }
  | { json: JsonValue }
  | { image: ImageBlock }
  | { document: DocumentBlock };

export type ToolResultStatus = 'success' | 'error';

export interface ToolResultBlock {
  toolUseId: string;
  content: ToolResultContentBlock[];
  status?: ToolResultStatus;
}

export interface CachePointBlock {
  type: 'default';
  ttl?: '5m' | '1h';
}

export type ReasoningContentBlock =
  | { reasoningText: { text: string; signature?: string } }
  | { redactedContent: Uint8Array };

export type ContentBlock =
  | { text: string }
  | { image: ImageBlock }
  | { document: DocumentBlock }
  | { toolUse: ToolUseBlock }
  | { toolResult: ToolResultBlock }
  | { reasoningContent: ReasoningContentBlock }
  | { cachePoint: CachePointBlock };

export interface Message {
  role: ConversationRole;
  content: ContentBlock[];
}

export type SystemContentBlock = { text: string } | { cachePoint: CachePointBlock };

export interface InferenceConfiguration {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

export interface ToolSpecification {
  name: string;
  description?: string;
  inputSchema: { json: JsonObject };
  strict?: boolean;
}

export type Tool = { toolSpec: ToolSpecification } | { cachePoint: CachePointBlock };

export type ToolChoice = { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

export interface ToolConfiguration {
  tools: Tool[];
  toolChoice?: ToolChoice;
}

export interface ConverseRequest {
  modelId: string;
  messages: Message[];
  system?: SystemContentBlock[];
  inferenceConfig?: InferenceConfiguration;
  toolConfig?: ToolConfiguration;
  additionalModelRequestFields?: JsonObject;
  additionalModelResponseFieldPaths?: string[];
}

export type StopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'guardrail_intervened'
  | 'content_filtered'
  | 'malformed_model_output'
  | 'malformed_tool_use'
  | 'model_context_window_exceeded';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export interface ConverseMetrics {
  latencyMs: number;
}

export interface ConverseResponse {
  output: { message: Message };
  stopReason: StopReason;
  usage: TokenUsage;
  metrics: ConverseMetrics;
  additionalModelResponseFields?: JsonValue;
}

/** ConverseStream events, one member per event, as the SDK yields them. */
export type ContentBlockStart = { toolUse: { toolUseId: string; name: string } };

export type ContentBlockDelta =
  | { text: string }
  | { toolUse: { input: string } }
  | { reasoningContent: { text?: string; signature?: string; redactedContent?: Uint8Array } };

export type ConverseStreamEvent =
  | { messageStart: { role: ConversationRole } }
  | { contentBlockStart: { contentBlockIndex: number; start: ContentBlockStart } }
  | { contentBlockDelta: { contentBlockIndex: number; delta: ContentBlockDelta } }
  | { contentBlockStop: { contentBlockIndex: number } }
  | { messageStop: { stopReason: StopReason; additionalModelResponseFields?: JsonValue } }
  | { metadata: { usage: TokenUsage; metrics: ConverseMetrics } };
