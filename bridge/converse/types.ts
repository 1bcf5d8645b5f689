/**
 * Our own subset of the Bedrock Converse wire shapes (botocore service model 2023-09-30).
 *
 * Every union is written the way Bedrock defines it: exactly one member per block, required fields required.
 * The shapes are structurally compatible with `@aws-sdk/client-bedrock-runtime` so the adapter can pass them
 * through, but nothing outside that adapter depends on the SDK. Binary fields are `Uint8Array` in memory
 * (the SDK's choice) and base64 strings on the JSON wire.
 */

/** Who wrote a message. */
export type ConversationRole = 'user' | 'assistant';

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object (tool inputs, schemas, `json` result blocks). */
export type JsonObject = { [key: string]: JsonValue };

/** Image formats Converse accepts. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';
/** Document formats Converse accepts. */
export type DocumentFormat = 'pdf' | 'csv' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'html' | 'txt' | 'md';

/** An image, as raw bytes. */
export interface ImageBlock {
  format: ImageFormat;
  source: { bytes: Uint8Array };
}

/** A document: bytes in one of the formats, or text. `name` is shown to the model. */
export interface DocumentBlock {
  format?: DocumentFormat;
  name: string;
  source: { bytes: Uint8Array } | { text: string };
}

/** A tool call the model made: its id (answered by a `ToolResultBlock`), the Converse tool name and the input. */
export interface ToolUseBlock {
  toolUseId: string;
  name: string;
  input: JsonValue;
}

/** What a tool result may hold: text, a JSON object, an image or a document. */
export type ToolResultContentBlock =
  | { text: string }
  | { json: JsonValue }
  | { image: ImageBlock }
  | { document: DocumentBlock };

/** Whether a call succeeded; models without `status` support read the text instead. */
export type ToolResultStatus = 'success' | 'error';

/** The answer to one `ToolUseBlock`, sent in the next user message. */
export interface ToolResultBlock {
  toolUseId: string;
  content: ToolResultContentBlock[];
  status?: ToolResultStatus;
}

/** A prompt-caching checkpoint: what comes before it is cached (where the model supports it). */
export interface CachePointBlock {
  type: 'default';
  ttl?: '5m' | '1h';
}

/** A reasoning model's thinking: text with its signature, or redacted bytes. */
export type ReasoningContentBlock =
  | { reasoningText: { text: string; signature?: string } }
  | { redactedContent: Uint8Array };

/** One block of a message; exactly one member is set. */
export type ContentBlock =
  | { text: string }
  | { image: ImageBlock }
  | { document: DocumentBlock }
  | { toolUse: ToolUseBlock }
  | { toolResult: ToolResultBlock }
  | { reasoningContent: ReasoningContentBlock }
  | { cachePoint: CachePointBlock };

/** One turn of the conversation. */
export interface Message {
  role: ConversationRole;
  content: ContentBlock[];
}

/** A block of the system prompt. */
export type SystemContentBlock = { text: string } | { cachePoint: CachePointBlock };

/** Sampling settings sent with every model call. */
export interface InferenceConfiguration {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

/** A tool the model may call: a name matching `^[a-zA-Z0-9_-]{1,64}$`, a description and a JSON Schema. */
export interface ToolSpecification {
  name: string;
  description?: string;
  inputSchema: { json: JsonObject };
  strict?: boolean;
}

/** A tool definition, or a cache checkpoint after the tools before it. */
export type Tool = { toolSpec: ToolSpecification } | { cachePoint: CachePointBlock };

/** Whether the model may (`auto`), must (`any`) or must call one named tool (`tool`). */
export type ToolChoice = { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

/** The tools of one request. */
export interface ToolConfiguration {
  tools: Tool[];
  toolChoice?: ToolChoice;
}

/** A Converse or ConverseStream request. */
export interface ConverseRequest {
  modelId: string;
  messages: Message[];
  system?: SystemContentBlock[];
  inferenceConfig?: InferenceConfiguration;
  toolConfig?: ToolConfiguration;
  additionalModelRequestFields?: JsonObject;
  additionalModelResponseFieldPaths?: string[];
}

/** Why the model stopped. */
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

/** Tokens one model call used; cache fields appear when prompt caching applied. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** The model call's latency as Bedrock reports it. */
export interface ConverseMetrics {
  latencyMs: number;
}

/** A Converse response (ConverseStream's events assemble into the same shape). */
export interface ConverseResponse {
  output: { message: Message };
  stopReason: StopReason;
  usage: TokenUsage;
  metrics: ConverseMetrics;
  additionalModelResponseFields?: JsonValue;
}

/** The start of a streamed tool-use block (text blocks have no start event). */
export type ContentBlockStart = { toolUse: { toolUseId: string; name: string } };

/** A piece of a content block in a stream: text, a fragment of tool input JSON, or reasoning. */
export type ContentBlockDelta =
  | { text: string }
  | { toolUse: { input: string } }
  | { reasoningContent: { text?: string; signature?: string; redactedContent?: Uint8Array } };

/** One ConverseStream event; exactly one member is set. */
export type ConverseStreamEvent =
  | { messageStart: { role: ConversationRole } }
  | { contentBlockStart: { contentBlockIndex: number; start: ContentBlockStart } }
  | { contentBlockDelta: { contentBlockIndex: number; delta: ContentBlockDelta } }
  | { contentBlockStop: { contentBlockIndex: number } }
  | { messageStop: { stopReason: StopReason; additionalModelResponseFields?: JsonValue } }
  | { metadata: { usage: TokenUsage; metrics: ConverseMetrics } };
