/**
 * The gateway's tool use, on the bridge's tool loop: the client's request plus the MCP tools. MCP tool calls run
 * here under the loop's guarantees (the approval policy, limits, concurrency cap, retries, a valid history) and
 * the model is called again; a turn that calls a tool the client defined goes back to the client (the loop's
 * `callerTools`) without that turn's MCP calls, which the client could not answer. The reply's usage is that of
 * every internal turn, cache reads and writes included.
 */
import {
  runToolLoop,
  type ContentBlock,
  type ConverseRequest,
  type ConverseResponse,
  type JsonObject,
  type ModelClient,
  type StopReason,
  type TokenUsage,
  type ToolLoopOptions,
  type Toolset,
} from '../../bridge/index.js';
import { toolNames } from '../../bridge/entries/converse.js';

/** One MCP tool call the gateway made, as `x-mcp-bedrock-tool-calls` reports it. */
export interface InjectedCall {
  name: string;
  server: string;
  tool: string;
  status: string;
}

/** The answer for the client and the MCP calls made on the way. */
export interface InjectionResult {
  response: ConverseResponse;
  calls: InjectedCall[];
}

/** What the loop may be told besides the request: the approval policy, limits and the client's signal. */
export type InjectionOptions = Pick<ToolLoopOptions, 'approve' | 'needsApproval' | 'limits' | 'signal'>;

/** Thrown when the loop stopped before any model answer (the client went away). */
export class InjectionAborted extends Error {
  readonly code = 'GATEWAY_ABORTED';
}

const MODEL_STOP_REASONS: ReadonlySet<string> = new Set<StopReason>([
  'end_turn',
  'tool_use',
  'max_tokens',
  'stop_sequence',
  'guardrail_intervened',
  'content_filtered',
  'malformed_model_output',
  'malformed_tool_use',
  'model_context_window_exceeded',
]);

/** Runs the client's request with the MCP tools added and answers it as one Converse response. */
export async function answerWithTools(
  request: ConverseRequest,
  toolset: Toolset,
  client: ModelClient,
  options: InjectionOptions = {},
): Promise<InjectionResult> {
  const { modelId, messages, system, toolConfig, inferenceConfig, additionalModelRequestFields, ...rest } = request;
  const callerTools = toolConfig?.tools ?? [];
  const callerNames = toolNames(callerTools);
  const history = [...messages];
  const result = await runToolLoop(history, {
    client,
    modelId,
    toolset,
    // One Converse call per turn: the client's stream, if it asked for one, is made from the final answer.
    stream: false,
    // The client's history goes as sent: its mistakes must come back as Bedrock's own errors.
    repairHistory: false,
    callerTools,
    // What the loop does not set (guardrailConfig, requestMetadata, performanceConfig, …) goes upstream as sent.
    requestFields: rest as JsonObject,
    ...(system && { system }),
    ...(inferenceConfig && { inferenceConfig }),
    ...(toolConfig?.toolChoice && { toolChoice: toolConfig.toolChoice }),
    ...(additionalModelRequestFields && { additionalModelRequestFields }),
    ...options,
  });
  const last = result.lastResponse;
  const assistant = history.findLast((m) => m.role === 'assistant');
  if (!last || !assistant) throw new InjectionAborted('the request was cancelled before the model answered');
  // The client sees its own tool calls only; a loop stopped by a limit says so instead of leaving MCP calls.
  const content: ContentBlock[] = assistant.content.filter((b) => !('toolUse' in b) || callerNames.has(b.toolUse.name));
  const stopReason = result.pendingToolUses ? 'tool_use' : result.stopReason;
  if (!MODEL_STOP_REASONS.has(stopReason)) {
    content.push({ text: `(The gateway stopped its tool use here: ${limitReason(stopReason, options)}.)` });
  }
  const usage: TokenUsage = {
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
    totalTokens: result.usage.totalTokens,
  };
  if (result.usage.cacheReadInputTokens > 0 || last.usage.cacheReadInputTokens !== undefined)
    usage.cacheReadInputTokens = result.usage.cacheReadInputTokens;
  if (result.usage.cacheWriteInputTokens > 0 || last.usage.cacheWriteInputTokens !== undefined)
    usage.cacheWriteInputTokens = result.usage.cacheWriteInputTokens;
  const response: ConverseResponse = {
    ...last,
    output: { message: { role: 'assistant', content } },
    stopReason: MODEL_STOP_REASONS.has(stopReason) ? (stopReason as StopReason) : 'end_turn',
    usage,
    metrics: { ...last.metrics, latencyMs: Math.round(result.usage.latencyMs) },
  };
  const calls = result.toolCalls.map((r) => ({
    name: r.name,
    server: r.server ?? '?',
    tool: r.tool ?? r.name,
    status: r.status,
  }));
  return { response, calls };
}

function limitReason(stopReason: string, options: InjectionOptions): string {
  const { maxTurns, maxTotalTokens, timeoutMs } = options.limits ?? {};
  if (stopReason === 'max_turns') return `it reached its limit of ${maxTurns ?? 'its'} model turns`;
  if (stopReason === 'token_budget') return `it used its budget of ${maxTotalTokens} tokens`;
  if (stopReason === 'timeout') return `it reached its time limit of ${timeoutMs} ms`;
  return 'the request was cancelled';
}
