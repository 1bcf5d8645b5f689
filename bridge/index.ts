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
} from './converse-types.js';

export { BridgeError } from './errors.js';
export type { ModelCallOptions, ModelClient } from './model-client.js';
export { ModelCallError, toModelCallError } from './model-errors.js';
export type { ModelErrorCode, ModelErrorContext, RetryClass } from './model-errors.js';
export { BedrockModelClient } from './bedrock-model-client.js';
export type { AwsCredentials, BedrockModelClientOptions } from './bedrock-model-client.js';
export { DEFAULT_RETRY_POLICY } from './retry.js';
export type { RetryPolicy } from './retry.js';
export { baseModelId, capabilitiesFor } from './model-capabilities.js';
export type { ModelCapabilities, ModelFamily } from './model-capabilities.js';
export type { Toolset, ToolAnnotations, ToolCallContext, ToolDescriptor, ToolProgress } from './toolset.js';
export { LocalToolset, combineToolsets, unknownToolResult } from './local-toolset.js';
export type { LocalTool } from './local-toolset.js';
export { runToolLoop } from './tool-loop.js';
export { Conversation } from './conversation.js';
export type { SendOptions } from './conversation.js';
export { DEFAULT_LIMITS } from './tool-loop-types.js';
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
} from './tool-loop-types.js';
export { defaultNeedsApproval } from './tool-execution.js';
export { repairHistory } from './history-repair.js';
export { toWireRequest } from './wire-request.js';
export { StreamAssembler } from './stream-assembler.js';
export { ScriptedModelClient, reply, streamEventsOf, textTurn } from './scripted-model-client.js';
export type { ScriptedTurn } from './scripted-model-client.js';
export { filterToolset, globMatcher } from './filter-toolset.js';
export { McpHub } from './mcp-hub.js';
export { bedrockSampling, samplingRequest } from './sampling.js';
export type { SamplingHandler, SamplingRequest, SamplingResult } from './sampling.js';
export type { HubEvent, HubOptions, ServerConfig, ServerState, ServerStatus } from './mcp-hub.js';
export { HubToolset } from './hub-toolset.js';
export type { HubToolsetOptions } from './hub-toolset.js';
export { compileSchema, restoreArguments } from './schema-compiler.js';
export type { CompiledSchema, CompileResult } from './schema-compiler.js';
export { converseNames } from './tool-names.js';
export { toToolResult, MAX_RESULT_CHARS } from './tool-results.js';
export type { McpContent, McpToolResult } from './tool-results.js';
export { withRetry } from './retry.js';
export type { RetryNotice } from './retry.js';
export { capUnionParameters, UNION_PARAMETER_LIMIT } from './union-cap.js';
