/** Options, events and results of the Converse tool loop. */
import type {
  ConverseResponse,
  InferenceConfiguration,
  JsonObject,
  JsonValue,
  Message,
  StopReason,
  SystemContentBlock,
  ToolChoice,
  ToolResultBlock,
  Tool,
  ToolUseBlock,
} from '../converse/types.js';
import type { ModelCapabilities } from '../converse/capabilities.js';
import type { PromptCacheOptions } from '../converse/cache-points.js';
import type { SchemaChange } from '../converse/schema-changes.js';
import type { ModelClient } from '../model/model-client.js';
import type { ModelCallError } from '../model/model-errors.js';
import type { RetryPolicy } from '../model/retry.js';
import type { ToolDescriptor, ToolProgress, Toolset } from '../tools/toolset.js';

/** Guards that stop the loop; every run has them, with the defaults noted here where not given. */
export interface LoopLimits {
  /** Model calls per run (default 25); tool calls of the last allowed turn are answered as not run. */
  maxTurns: number;
  /** Stop before a model call once this many tokens (input + output, all turns) were used. */
  maxTotalTokens?: number;
  /** Wall-clock limit for the whole run. */
  timeoutMs?: number;
  /** Per tool call (default 60 s); a call that passes it gets an error result. */
  toolTimeoutMs: number;
  /** Tool calls of one turn that run at once (default 8). */
  toolConcurrency: number;
}

/** The limits a run has unless `ToolLoopOptions.limits` says otherwise. */
export const DEFAULT_LIMITS: Readonly<LoopLimits> = { maxTurns: 25, toolTimeoutMs: 60_000, toolConcurrency: 8 };

/** What `approve` is asked about: one tool call, before it runs. */
export interface ApprovalRequest {
  toolUseId: string;
  /** The Converse name. */
  name: string;
  /** The tool: its server, its own name, its annotations. */
  descriptor: ToolDescriptor;
  /** The input as the model wrote it. */
  input: JsonValue;
}

/**
 * `true`/`false`, or a denial with a reason the model is told (`The user denied this call to NAME: REASON …`).
 * `message` replaces that whole text, for a refusal no user made (a policy's), so the model is not told a user said no.
 */
export type ApprovalDecision = boolean | { approved: boolean; reason?: string; message?: string };

/** Everything `runToolLoop` and `Conversation` need; only `client`, `modelId` and `toolset` are required. */
export interface ToolLoopOptions {
  /** Who answers model calls: `BedrockModelClient`, or any `ModelClient` (`ScriptedModelClient` in tests). */
  client: ModelClient;
  /** A Bedrock model id, inference-profile id or ARN. */
  modelId: string;
  /** The tools the model may call. */
  toolset: Toolset;
  /** Defaults to the table entry for `modelId`. */
  capabilities?: ModelCapabilities;
  /** The system prompt (folded into the first user turn for models without one). */
  system?: string | SystemContentBlock[];
  /** Sent with every model call. */
  inferenceConfig?: InferenceConfiguration;
  /** Degraded to what the model accepts (`tool` → `any` → left out). */
  toolChoice?: ToolChoice;
  /** Model-specific request fields, sent as given. */
  additionalModelRequestFields?: JsonObject;
  /** ConverseStream (default) or Converse. Models that reject tools in streams fall back to Converse. */
  stream?: boolean;
  /**
   * Prompt caching (default on where the model has it): the bridge places cache points after the tools, the
   * system prompt and the latest turns (docs/prompt-caching.md); `false` sends no cache point of its own.
   */
  promptCache?: false | PromptCacheOptions;
  /** Limits to change; the others keep their defaults (see `LoopLimits`). */
  limits?: Partial<LoopLimits>;
  /** Retries of throttled and transient model-call failures (default: 4 attempts, full-jitter backoff). */
  retry?: RetryPolicy;
  /** Asked before each call that `needsApproval` selects; a denial goes back to the model as an error result. */
  approve?: (request: ApprovalRequest) => Promise<ApprovalDecision>;
  /** Which tools ask for approval; default: tools not marked read-only or non-destructive. */
  needsApproval?: (descriptor: ToolDescriptor) => boolean;
  /** Everything the loop does as it happens: text deltas, tool calls and their progress, retries, warnings. */
  onEvent?: (event: LoopEvent) => void;
  /** Aborts the run: the loop stops with stopReason `aborted`, the history still valid. */
  signal?: AbortSignal;
  /**
   * Tools the caller answers itself, offered beside the toolset's (a toolset tool of the same name is left out;
   * the union cap applies to the whole list). A turn that calls any of them ends the loop with stopReason
   * `tool_use`: that assistant turn is last in `messages`, keeping only these calls (calls to the toolset's tools
   * in the same turn are left out, not run, since their results could not be sent without the caller's), and
   * the calls are in `pendingToolUses`. Append a user message with one toolResult per call and run the loop again.
   * The gateway hands its client's own tools back to the client this way.
   * @example
   * const result = await runToolLoop(messages, { client, modelId, toolset, callerTools: [weatherTool] });
   * if (result.pendingToolUses) messages.push({ role: 'user', content: await answerMyself(result.pendingToolUses) });
   */
  callerTools?: readonly Tool[];
  /**
   * Request fields sent as given on every model call, for what the loop does not set itself (guardrailConfig,
   * requestMetadata, performanceConfig, promptVariables, …); the loop's own fields win over these.
   */
  requestFields?: JsonObject;
  /**
   * Repair the incoming history before the first model call (default true). With false it is sent as given, so
   * a faulty history gets Bedrock's own error (the gateway relays its client's mistakes this way).
   */
  repairHistory?: boolean;
}

/** Tokens and time, for one turn or summed over a run or a conversation. */
export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  /** The model's latency as reported (or measured, when the model reports none). */
  latencyMs: number;
}

/** How a call ended: it ran (`success`, `error`, `timeout`), or it did not (`denied`, `invalid-input`, `not-run`). */
export type ToolCallStatus = 'success' | 'error' | 'denied' | 'timeout' | 'invalid-input' | 'not-run';

/** One tool call of a run: what was asked, how it ended and the result the model got. */
export interface ToolCallRecord {
  toolUseId: string;
  /** The Converse name the model used. */
  name: string;
  /** The server and its own tool name, when the name resolved to a tool. */
  server?: string;
  tool?: string;
  input: JsonValue;
  status: ToolCallStatus;
  durationMs: number;
  result: ToolResultBlock;
}

/** One model call of a run. */
export interface TurnRecord {
  /** 1 for the first call of the run. */
  turn: number;
  stopReason: StopReason;
  usage: TurnUsage;
  /** ConverseStream, or Converse (chosen, or the fallback for models that reject tools in streams). */
  mode: 'stream' | 'converse';
  toolCalls: number;
}

/** Model stop reasons, plus the loop's own guards. */
export type LoopStopReason = StopReason | 'max_turns' | 'token_budget' | 'timeout' | 'aborted';

/** What a run returns. */
export interface ToolLoopResult {
  /** Why it ended: the model's stop reason, or a guard's (`max_turns`, `token_budget`, `timeout`, `aborted`). */
  stopReason: LoopStopReason;
  /** Text of the last assistant turn. */
  text: string;
  /** The whole conversation, valid to send again. */
  messages: Message[];
  turns: TurnRecord[];
  toolCalls: ToolCallRecord[];
  /** Summed over the run's turns. */
  usage: TurnUsage;
  /** The last model response (its stopReason, metrics, trace, …; assembled from its events for a stream). */
  lastResponse?: ConverseResponse;
  /** Calls to `callerTools` that the caller must answer: set when the loop handed a turn back. */
  pendingToolUses?: ToolUseBlock[];
}

/** What `onEvent` is told, in order, as the run happens. */
export type LoopEvent =
  | { type: 'turn-start'; turn: number; mode: 'stream' | 'converse' }
  | { type: 'text-delta'; text: string }
  | { type: 'tool-input-delta'; toolUseId: string; name: string; delta: string }
  | { type: 'tool-call-start'; toolUseId: string; name: string; server?: string; tool?: string; input: JsonValue }
  | { type: 'tool-progress'; toolUseId: string; name: string; progress: ToolProgress }
  | { type: 'tool-call-end'; record: ToolCallRecord }
  | { type: 'retry'; attempt: number; delayMs: number; error: ModelCallError }
  | { type: 'history-repaired'; repairs: string[] }
  /** `change` is set when a tool's schema was changed for this model (by tool and parameter). */
  | { type: 'warning'; message: string; change?: SchemaChange }
  | { type: 'turn-end'; turn: TurnRecord };
