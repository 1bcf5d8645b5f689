/**
 * The Converse tool loop: call the model, run the tools it asked for, send the results, until it is done or a
 * guard stops it. `messages` is appended to in place, one whole turn at a time, so whatever happens (a thrown
 * model error, an abort, a crash between turns) it holds a history Bedrock accepts.
 */
import type {
  ContentBlock,
  ConverseRequest,
  ConverseResponse,
  Message,
  SystemContentBlock,
  Tool,
  ToolUseBlock,
} from '../converse/types.js';
import { normalizeReply, repairHistory } from '../converse/history-repair.js';
import { capabilitiesFor, type ModelCapabilities } from '../converse/capabilities.js';
import { callModel, type ModelTurn } from './model-turn.js';
import { recoverTextToolCalls } from '../converse/recovered-calls.js';
import { DEFAULT_RETRY_POLICY } from '../model/retry.js';
import { errorResult } from '../converse/results.js';
import { defaultNeedsApproval, runToolBatch } from './tool-execution.js';
import {
  DEFAULT_LIMITS,
  type LoopLimits,
  type LoopStopReason,
  type ToolCallRecord,
  type ToolLoopOptions,
  type ToolLoopResult,
  type TurnRecord,
} from './types.js';
import { addUsage, emptyUsage, turnUsage } from './usage.js';
import { toWireRequest } from '../converse/wire-request.js';
import { withCachePoints } from '../converse/cache-points.js';
import { describeChange } from '../converse/schema-changes.js';
import { requestTools, toolNames } from '../tools/request-tools.js';

function systemBlocks(system: ToolLoopOptions['system']): SystemContentBlock[] {
  if (system === undefined) return [];
  return typeof system === 'string' ? (system.trim() === '' ? [] : [{ text: system }]) : system;
}

function textOf(message: Message | undefined): string {
  let text = '';
  for (const block of message?.content ?? []) if ('text' in block) text += block.text;
  return text;
}

function toolUsesOf(message: Message): ToolUseBlock[] {
  return message.content.flatMap((block) => ('toolUse' in block ? [block.toolUse] : []));
}

/** Answers calls that will not run, so the history stays valid for the next call. */
function notRun(calls: readonly ToolUseBlock[], why: string): ToolCallRecord[] {
  return calls.map((call) => ({
    toolUseId: call.toolUseId,
    name: call.name,
    input: call.input,
    status: 'not-run',
    durationMs: 0,
    result: errorResult(call.toolUseId, `Not run: ${why}.`),
  }));
}

/**
 * Links the caller's signal and the wall-clock limit into one signal whose reason says which fired.
 * `abortable` is false when neither exists: model calls then go without a signal (a listener per request
 * cost the SDK 0.2–0.4 ms over a 10-turn conversation: docs/performance.md). Without a time limit there is
 * nothing to link: the caller's signal is the loop's own (a linked one cost the gateway a listener per request).
 */
function guardSignal(
  options: ToolLoopOptions,
  limits: LoopLimits,
): { signal: AbortSignal; abortable: boolean; stop: () => LoopStopReason | undefined; dispose: () => void } {
  if (limits.timeoutMs === undefined) {
    const signal = options.signal ?? new AbortController().signal;
    return {
      signal,
      abortable: options.signal !== undefined,
      stop: () => (signal.aborted ? 'aborted' : undefined),
      dispose: () => {},
    };
  }
  const controller = new AbortController();
  let reason: LoopStopReason | undefined;
  const onAbort = (): void => {
    reason ??= 'aborted';
    controller.abort(options.signal?.reason);
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    reason ??= 'timeout';
    controller.abort(new Error(`time limit of ${limits.timeoutMs} ms reached`));
  }, limits.timeoutMs);
  return {
    signal: controller.signal,
    abortable: true,
    stop: () => reason,
    dispose: () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Runs the Converse tool loop: calls the model, runs the tools it asks for through `options.toolset`, sends the
 * results back, and repeats until the model answers without tool calls or a limit stops it.
 *
 * `prompt` is the user's message as text, or a whole history (`Message[]`, appended to in place one whole turn
 * at a time, so it stays a valid history whatever happens). Model errors are thrown as `ModelCallError` after
 * the loop's retries; tool failures never throw: the model reads them as error results.
 *
 * @example
 * ```ts source="./tool-loop.examples.ts#runToolLoop_prompt"
 * const result = await runToolLoop('Where is my order 14826?', {
 *   client: new BedrockModelClient({ region: 'us-east-1' }),
 *   modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
 *   toolset: new HubToolset(hub),
 *   system: 'You are a support agent for AnyCompany.',
 *   limits: { maxTurns: 10, toolTimeoutMs: 30_000 },
 *   onEvent: (event) => {
 *     if (event.type === 'text-delta') process.stdout.write(event.text);
 *   },
 * });
 * console.log(result.stopReason, result.toolCalls.length, result.usage.totalTokens);
 * ```
 * @example Continuing a history
 * ```ts source="./tool-loop.examples.ts#runToolLoop_history"
 * const messages: Message[] = [...saved, { role: 'user', content: [{ text: 'And cancel it, please.' }] }];
 * await runToolLoop(messages, {
 *   client: new BedrockModelClient({ region: 'us-east-1' }),
 *   modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
 *   toolset: new HubToolset(hub),
 *   // Destructive tools are asked about; anything else runs.
 *   approve: async (request) => ({ approved: request.descriptor.tool !== 'cancel_order', reason: 'not today' }),
 * });
 * // `messages` now ends with the model's answer and is valid to send again.
 * ```
 */
export async function runToolLoop(prompt: string | Message[], options: ToolLoopOptions): Promise<ToolLoopResult> {
  const messages: Message[] = typeof prompt === 'string' ? [{ role: 'user', content: [{ text: prompt }] }] : prompt;
  const caps: ModelCapabilities = options.capabilities ?? capabilitiesFor(options.modelId);
  const limits: LoopLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const emit = options.onEvent ?? ((): void => {});
  const system = systemBlocks(options.system);
  const parsesTextCalls = caps.toolUse === 'prompt' || caps.recoversTextToolCalls;
  const guard = guardSignal(options, limits);
  const turns: TurnRecord[] = [];
  const toolCalls: ToolCallRecord[] = [];
  const usage = emptyUsage();
  let compiled: { version: number; tools: Tool[]; names: Set<string> } | undefined;
  const callerNames = toolNames(options.callerTools ?? []);
  let lastResponse: ConverseResponse | undefined;

  const finish = (stopReason: LoopStopReason, pendingToolUses?: ToolUseBlock[]): ToolLoopResult => {
    const last = messages[messages.length - 1];
    const text = last?.role === 'assistant' ? textOf(last) : '';
    return {
      stopReason,
      text,
      messages,
      turns,
      toolCalls,
      usage,
      ...(lastResponse && { lastResponse }),
      ...(pendingToolUses && { pendingToolUses }),
    };
  };

  const answer = (results: ToolCallRecord[]): void => {
    toolCalls.push(...results);
    messages.push({ role: 'user', content: results.map((r): ContentBlock => ({ toolResult: r.result })) });
  };

  try {
    for (let turn = 1; ; turn++) {
      const stopped = guard.stop();
      if (stopped) return finish(stopped);
      if (turn > limits.maxTurns) return finish('max_turns');
      if (limits.maxTotalTokens !== undefined && usage.totalTokens >= limits.maxTotalTokens)
        return finish('token_budget');

      // Only what came from outside the loop can be invalid: later turns are appended valid by construction.
      const repaired =
        turn === 1 && options.repairHistory !== false ? repairHistory(messages) : { messages, repairs: [] };
      if (repaired.repairs.length > 0) {
        messages.splice(0, messages.length, ...repaired.messages);
        emit({ type: 'history-repaired', repairs: repaired.repairs });
      }
      options.toolset.prepare?.(messages);
      // Tool specs are compiled once per toolset change, not per turn; per-request limits apply to what is sent.
      if (compiled?.version !== options.toolset.version) {
        const specs = requestTools(options.toolset, caps, options.callerTools);
        for (const warning of specs.warnings) emit({ type: 'warning', message: warning });
        for (const change of specs.changes) emit({ type: 'warning', message: describeChange(change), change });
        // The names a text tool call may use, gathered only for the models whose calls can come as text.
        const names = parsesTextCalls ? toolNames(specs.tools) : new Set<string>();
        compiled = { version: options.toolset.version, tools: specs.tools, names };
      }
      const built = toWireRequest({
        modelId: options.modelId,
        caps,
        messages,
        system,
        tools: compiled.tools,
        ...(options.toolChoice && { toolChoice: options.toolChoice }),
        ...(options.inferenceConfig && { inferenceConfig: options.inferenceConfig }),
        ...(options.additionalModelRequestFields && {
          additionalModelRequestFields: options.additionalModelRequestFields,
        }),
      });
      const wire = options.promptCache === false ? built : withCachePoints(built, caps, options.promptCache);
      const request: ConverseRequest = options.requestFields ? { ...options.requestFields, ...wire } : wire;
      const stream = (options.stream ?? true) && (caps.streamingTools || request.toolConfig === undefined);
      const liveText = stream && !parsesTextCalls;
      emit({ type: 'turn-start', turn, mode: stream ? 'stream' : 'converse' });

      let modelTurn: ModelTurn;
      try {
        modelTurn = await callModel({
          client: options.client,
          request,
          stream,
          liveText,
          retry: options.retry ?? DEFAULT_RETRY_POLICY,
          ...(guard.abortable && { signal: guard.signal }),
          emit,
        });
      } catch (error) {
        const stoppedDuringCall = guard.stop();
        if (stoppedDuringCall) return finish(stoppedDuringCall);
        throw error;
      }

      const { response } = modelTurn;
      lastResponse = response;
      let assistant = normalizeReply(response.output.message);
      const recovered = parsesTextCalls ? recoverTextToolCalls(assistant, compiled.names) : undefined;
      if (recovered) assistant = recovered;
      const handBack = callerNames.size > 0 && toolUsesOf(assistant).some((call) => callerNames.has(call.name));
      // The caller answers its own calls; the toolset's calls of this turn are left out rather than run.
      if (handBack)
        assistant = {
          ...assistant,
          content: assistant.content.filter((b) => !('toolUse' in b) || callerNames.has(b.toolUse.name)),
        };
      if (!liveText) {
        const text = textOf(assistant);
        if (text !== '') emit({ type: 'text-delta', text });
      }
      const calls = toolUsesOf(assistant);
      const record: TurnRecord = {
        turn,
        stopReason: calls.length > 0 ? 'tool_use' : response.stopReason,
        usage: turnUsage(response, modelTurn.latencyMs),
        mode: stream ? 'stream' : 'converse',
        toolCalls: calls.length,
      };
      addUsage(usage, record.usage);
      turns.push(record);
      messages.push(assistant);
      emit({ type: 'turn-end', turn: record });

      if (calls.length === 0) return finish(response.stopReason);
      if (handBack) return finish('tool_use', calls);
      // Tools whose results no model call would read are not run (a destructive one must not run unseen).
      if (turn >= limits.maxTurns) {
        answer(notRun(calls, `the conversation reached its limit of ${limits.maxTurns} model turns`));
        return finish('max_turns');
      }
      if (limits.maxTotalTokens !== undefined && usage.totalTokens >= limits.maxTotalTokens) {
        answer(notRun(calls, `the conversation used its budget of ${limits.maxTotalTokens} tokens`));
        return finish('token_budget');
      }
      const results = await runToolBatch({
        calls,
        invalidInputs: modelTurn.invalidToolInputs,
        toolset: options.toolset,
        concurrency: limits.toolConcurrency,
        timeoutMs: limits.toolTimeoutMs,
        signal: guard.signal,
        approve: options.approve,
        needsApproval: options.needsApproval ?? defaultNeedsApproval,
        emit,
        reportProgress: options.onEvent !== undefined,
      });
      answer(results);
    }
  } finally {
    guard.dispose();
  }
}
