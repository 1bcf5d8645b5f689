/**
 * mcp-bedrock-bridge: any MCP server's tools for any Amazon Bedrock model.
 *
 * Connect MCP servers with {@link McpHub}, offer their tools through {@link HubToolset}, and let
 * {@link runToolLoop} (one prompt) or {@link Conversation} (a chat) drive Converse through
 * {@link BedrockModelClient} until the model is done. Every export is listed on purpose; nothing is re-exported
 * with `*`. Advanced building blocks are in `mcp-bedrock-bridge/converse`, config-file loading in
 * `mcp-bedrock-bridge/config`, test doubles in `mcp-bedrock-bridge/testing` and the offline Bedrock emulator in
 * `mcp-bedrock-bridge/emulator`.
 *
 * @packageDocumentation
 */

// MCP servers and their tools.
export { McpHub } from './mcp/mcp-hub.js';
export type {
  GetPromptResult,
  HubEvent,
  HubOptions,
  ListPage,
  McpTool,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  RestartPolicy,
  Root,
  ServerState,
  ServerStatus,
} from './mcp/mcp-hub.js';
export type {
  ApprovalMode,
  HttpServerConfig,
  InteractiveAuthorization,
  OAuthSettings,
  ProtocolMode,
  ServerConfig,
  ServerOptions,
  SigV4Settings,
  StdioServerConfig,
  TransportServerConfig,
} from './mcp/server-config.js';
export { memoryOAuthStore, OAuthProvider } from './mcp/oauth-provider.js';
export type { OAuthProviderOptions, OAuthState, OAuthStore } from './mcp/oauth-provider.js';
export { regionOfHost, sigv4Fetch } from './mcp/sigv4-fetch.js';
export type { SigV4FetchOptions } from './mcp/sigv4-fetch.js';
export { defaultAnswers, formFields, parseFieldInput } from './mcp/elicitation.js';
export type {
  ElicitationHandler,
  ElicitationRequest,
  ElicitationResult,
  FieldValue,
  FormElicitation,
  FormField,
  UrlElicitation,
} from './mcp/elicitation.js';
export { promptMessages } from './mcp/prompt-messages.js';
export { resourceBlocks } from './mcp/resource-blocks.js';
export { HubToolset } from './mcp/hub-toolset.js';
export type { HubToolsetOptions } from './mcp/hub-toolset.js';
export { bedrockSampling } from './mcp/sampling.js';
export type { SamplingHandler, SamplingRequest, SamplingResult } from './mcp/sampling.js';
export type { McpContent, McpToolResult } from './mcp/tool-results.js';

// Toolsets: the seam between the loop and whatever runs tools.
export type {
  ResolvedTool,
  Toolset,
  ToolAnnotations,
  ToolCallContext,
  ToolDescriptor,
  ToolProgress,
  ToolSpecs,
} from './tools/toolset.js';
export type { SchemaChange } from './converse/schema-changes.js';
export { LocalToolset, combineToolsets } from './tools/local-toolset.js';
export type { LocalTool, LocalToolOutput } from './tools/local-toolset.js';
export { filterToolset } from './tools/filter-toolset.js';
export { SEARCH_TOOLS, ToolSearchToolset, type ToolSearchOptions } from './tools/tool-search.js';
export { executeTool } from './tools/execute-tool.js';

// The model.
export type { ModelCallOptions, ModelClient } from './model/model-client.js';
export { BedrockModelClient } from './model/bedrock-model-client.js';
export type { BedrockModelClientOptions } from './model/bedrock-model-client.js';
export type { AwsCredentials } from './model/credentials.js';
export type { RetryPolicy } from './model/retry.js';
export type { ModelCapabilities, ModelFamily, PromptCacheRules, SchemaRules } from './converse/capabilities.js';
export type { PromptCacheOptions } from './converse/cache-points.js';

// The tool loop.
export { runToolLoop } from './loop/tool-loop.js';
export { BEDROCK_PRICES, estimateCost, mergePriceTables, priceFor } from './loop/pricing.js';
export type { CostEstimate, ModelPrice, PriceTable } from './loop/pricing.js';
export { Conversation } from './loop/conversation.js';
export type { SendOptions } from './loop/conversation.js';
export { defaultNeedsApproval } from './loop/tool-execution.js';
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

// Errors: every thrown error carries a stable `code`.
export { BridgeError } from './errors.js';
export { ModelCallError } from './model/model-errors.js';
export type { ModelErrorCode, ModelErrorContext, RetryClass } from './model/model-errors.js';

// Converse's own shapes (the AWS SDK's, minus members the bridge never sends).
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
