/** Options, events and results of the Converse tool loop. */
import type {
  InferenceConfiguration,
  JsonObject,
  JsonValue,
  Message,
  StopReason,
  SystemContentBlock,
  ToolChoice,
  ToolResultBlock,
} from '../converse/types.js';
import type { ModelCapabilities } from '../converse/capabilities.js';
import type { SchemaChange } from '../converse/schema-changes.js';
import type { ModelClient } from '../model/model-client.js';
import type { ModelCallError } from '../model/model-errors.js';
import type { RetryPolicy } from '../model/retry.js';
import type { ToolDescriptor, ToolProgress, Toolset } from '../tools/toolset.js';

export interface LoopLimits {
  /** Model calls per `run` (default 25). */
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

export const DEFAULT_LIMITS: LoopLimits = { maxTurns: 25, toolTimeoutMs: 60_000, toolConcurrency: 8 };

export interface ApprovalRequest {
  toolUseId: string;
  /** The Converse name. */
  name: string;
  descriptor: ToolDescriptor;
  input: JsonValue;
}

/** `true`/`false`, or a denial with a reason the model is told. */
export type ApprovalDecision = boolean | { approved: boolean; reason?: string };

export interface ToolLoopOptions {
  client: ModelClient;
  modelId: string;
  toolset: Toolset;
  /** Defaults to the table entry for `modelId`. */
  capabilities?: ModelCapabilities;
  system?: string | SystemContentBlock[];
  inferenceConfig?: InferenceConfiguration;
  toolChoice?: ToolChoice;
  additionalModelRequestFields?: JsonObject;
  /** ConverseStream (default) or Converse. Models that reject tools in streams fall back to Converse. */
  stream?: boolean;
  limits?: Partial<LoopLimits>;
  retry?: RetryPolicy;
  /** Asked before each call that `needsApproval` selects; a denial goes back to the model as an error result. */
  approve?: (request: ApprovalRequest) => Promise<ApprovalDecision>;
  /** Which tools ask for approval; default: tools not marked read-only or non-destructive. */
  needsApproval?: (descriptor: ToolDescriptor) => boolean;
  onEvent?: (event: LoopEvent) => void;
  signal?: AbortSignal;
}

export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  latencyMs: number;
}

export type ToolCallStatus = 'success' | 'error' | 'denied' | 'timeout' | 'invalid-input' | 'not-run';

export interface ToolCallRecord {
  toolUseId: string;
  name: string;
  server?: string;
  tool?: string;
  input: JsonValue;
  status: ToolCallStatus;
  durationMs: number;
  result: ToolResultBlock;
}

export interface TurnRecord {
  turn: number;
  stopReason: StopReason;
  usage: TurnUsage;
  /** ConverseStream, or Converse (chosen, or the fallback for models that reject tools in streams). */
  mode: 'stream' | 'converse';
  toolCalls: number;
}

/** Model stop reasons, plus the loop's own guards. */
export type LoopStopReason = StopReason | 'max_turns' | 'token_budget' | 'timeout' | 'aborted';

export interface ToolLoopResult {
  stopReason: LoopStopReason;
  /** Text of the last assistant turn. */
  text: string;
  /** The whole conversation, valid to send again. */
  messages: Message[];
  turns: TurnRecord[];
  toolCalls: ToolCallRecord[];
  usage: TurnUsage;
}

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
