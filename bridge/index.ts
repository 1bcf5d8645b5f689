/** Public surface of the bridge library. Every export is listed on purpose; nothing is re-exported with `*`. */
export type {
  CachePointBlock,
  ContentBlock,
  ContentBlockDelta,
  ContentBlockStart,
  ConversationRole,
  ConverseMetrics,
  ConverseRequest,
  ConverseResponse,
  ConverseStreamEvent,
  DocumentBlock,
  DocumentFormat,
  ImageBlock,
  ImageFormat,
  InferenceConfiguration,
  JsonObject,
  JsonValue,
  Message,
  ReasoningContentBlock,
  StopReason,
  SystemContentBlock,
  TokenUsage,
  Tool,
  ToolChoice,
  ToolConfiguration,
  ToolResultBlock,
  ToolResultContentBlock,
  ToolResultStatus,
  ToolSpecification,
  ToolUseBlock,
} from './converse/types.js';

export { BridgeError } from './errors.js';
export type { ModelCallOptions, ModelClient } from './model/model-client.js';
export { ModelCallError, toModelCallError } from './model/model-errors.js';
export type { ModelErrorCode, ModelErrorContext, RetryClass } from './model/model-errors.js';
export { BedrockModelClient } from './model/bedrock-model-client.js';
export type { AwsCredentials, BedrockModelClientOptions } from './model/bedrock-model-client.js';
export { DEFAULT_RETRY_POLICY } from './model/retry.js';
export type { RetryPolicy } from './model/retry.js';
export { baseModelId, capabilitiesFor } from './converse/capabilities.js';
export type { ModelCapabilities, ModelFamily, SchemaRules } from './converse/capabilities.js';
export type {
  Toolset,
  ToolAnnotations,
  ToolCallContext,
  ToolDescriptor,
  ToolProgress,
  ToolSpecs,
} from './tools/toolset.js';
export { requestTools } from './tools/request-tools.js';
export type { RequestTools } from './tools/request-tools.js';
export { describeChange } from './converse/schema-changes.js';
export type { SchemaChange } from './converse/schema-changes.js';
export { LocalToolset, combineToolsets, unknownToolResult } from './tools/local-toolset.js';
export type { LocalTool } from './tools/local-toolset.js';
export { runToolLoop } from './loop/tool-loop.js';
export { Conversation } from './loop/conversation.js';
export type { SendOptions } from './loop/conversation.js';
export { DEFAULT_LIMITS } from './loop/types.js';
export type {
  ApprovalDecision,
  ApprovalRequest,
  LoopEvent,
  LoopLimits,
  LoopStopReason,
  ToolCallRecord,
  ToolCallStatus,
  ToolLoopOptions,
  ToolLoopResult,
  TurnRecord,
  TurnUsage,
} from './loop/types.js';
export { defaultNeedsApproval } from './loop/tool-execution.js';
export { repairHistory } from './converse/history-repair.js';
export { toWireRequest } from './converse/wire-request.js';
export { StreamAssembler } from './converse/stream-assembler.js';
export { ScriptedModelClient, reply, streamEventsOf, textTurn } from './testing/scripted-model-client.js';
export type { ScriptedTurn } from './testing/scripted-model-client.js';
export { filterToolset, globMatcher } from './tools/filter-toolset.js';
export { McpHub } from './mcp/mcp-hub.js';
export { bedrockSampling, samplingRequest } from './mcp/sampling.js';
export type { SamplingHandler, SamplingRequest, SamplingResult } from './mcp/sampling.js';
export type { HubEvent, HubOptions, ServerConfig, ServerState, ServerStatus } from './mcp/mcp-hub.js';
export { HubToolset } from './mcp/hub-toolset.js';
export type { HubToolsetOptions } from './mcp/hub-toolset.js';
export { compileSchema, restoreArguments } from './mcp/schema-compiler.js';
export type { CompiledSchema, CompileResult } from './mcp/schema-compiler.js';
export { converseNames } from './mcp/tool-names.js';
export { toToolResult, MAX_RESULT_CHARS } from './mcp/tool-results.js';
export type { McpContent, McpToolResult } from './mcp/tool-results.js';
export { withRetry } from './model/retry.js';
export type { RetryNotice } from './model/retry.js';
export { capUnionParameters } from './converse/union-cap.js';
