/**
 * One model call with retries: ConverseStream assembled into a Converse-shaped response, or Converse itself.
 * A stream is retried only while nothing of it reached the caller, so output is never shown twice.
 */
import { isJsonObject } from '../converse/json.js';
import { performance } from 'node:perf_hooks';
import type { ConverseRequest, ConverseResponse } from '../converse/types.js';
import type { ModelClient } from '../model/model-client.js';
import { withRetry, type RetryPolicy } from '../model/retry.js';
import { parseToolInput, StreamAssembler, type InvalidToolInput } from '../converse/stream-assembler.js';
import type { LoopEvent } from './types.js';

/** One model call of the loop. */
export interface ModelTurnInput {
  client: ModelClient;
  request: ConverseRequest;
  stream: boolean;
  /** Emit text deltas as they arrive (false when the text may still turn out to be a tool call). */
  liveText: boolean;
  retry: RetryPolicy;
  /** Absent when nothing can cancel the loop: a signal costs the SDK a listener per request. */
  signal?: AbortSignal;
  emit: (event: LoopEvent) => void;
}

/** What one model call gave: the response, tool inputs that were not JSON, and the measured latency. */
export interface ModelTurn {
  response: ConverseResponse;
  invalidToolInputs: InvalidToolInput[];
  latencyMs: number;
}

function callOptions(input: ModelTurnInput): { signal?: AbortSignal } {
  return input.signal ? { signal: input.signal } : {};
}

async function streamOnce(input: ModelTurnInput, shown: { value: boolean }): Promise<Omit<ModelTurn, 'latencyMs'>> {
  const assembler = new StreamAssembler();
  const toolNames = new Map<number, { toolUseId: string; name: string }>();
  for await (const event of input.client.converseStream(input.request, callOptions(input))) {
    assembler.push(event);
    if ('contentBlockStart' in event) {
      const { toolUse } = event.contentBlockStart.start;
      toolNames.set(event.contentBlockStart.contentBlockIndex, toolUse);
    } else if ('contentBlockDelta' in event) {
      const { delta, contentBlockIndex } = event.contentBlockDelta;
      if ('text' in delta && input.liveText && delta.text !== '') {
        shown.value = true;
        input.emit({ type: 'text-delta', text: delta.text });
      } else if ('toolUse' in delta) {
        const tool = toolNames.get(contentBlockIndex);
        if (tool) {
          shown.value = true;
          input.emit({
            type: 'tool-input-delta',
            toolUseId: tool.toolUseId,
            name: tool.name,
            delta: delta.toolUse.input,
          });
        }
      }
    }
  }
  return assembler.finish();
}

/** Tool input must be an object in history; anything else is answered as invalid input, as in streams. */
function normalizeInputs(response: ConverseResponse): Omit<ModelTurn, 'latencyMs'> {
  const invalidToolInputs: InvalidToolInput[] = [];
  const content = response.output.message.content.map((block) => {
    if (!('toolUse' in block)) return block;
    const { input, toolUseId, name } = block.toolUse;
    if (isJsonObject(input)) return block;
    const raw = typeof input === 'string' ? input : JSON.stringify(input);
    const parsed = parseToolInput(raw);
    if (!parsed.ok) invalidToolInputs.push({ toolUseId, name, rawInput: raw, reason: parsed.reason });
    return { toolUse: { toolUseId, name, input: parsed.ok ? parsed.value : {} } };
  });
  return { response: { ...response, output: { message: { role: 'assistant', content } } }, invalidToolInputs };
}

/** Calls the model once (streamed or not), with the loop's retries; text deltas and retries go to `emit`. */
export async function callModel(input: ModelTurnInput): Promise<ModelTurn> {
  const shown = { value: false };
  const start = performance.now();
  const turn = await withRetry(
    input.request.modelId,
    input.retry,
    async () => {
      if (input.stream) return streamOnce(input, shown);
      return normalizeInputs(await input.client.converse(input.request, callOptions(input)));
    },
    {
      ...(input.signal && { signal: input.signal }),
      outputShown: () => shown.value,
      onRetry: (notice) =>
        input.emit({ type: 'retry', attempt: notice.attempt, delayMs: notice.delayMs, error: notice.error }),
    },
  );
  return { ...turn, latencyMs: performance.now() - start };
}
