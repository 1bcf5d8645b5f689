/**
 * Runs the toolUse blocks of one assistant turn: approvals first (one at a time, in order, so a person is asked
 * one question at a time), then the approved calls in parallel under a concurrency cap. Every call yields a
 * result, in toolUse order; nothing here throws into the loop.
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { errorResult } from '../converse/results.js';
import type { ToolResultBlock, ToolUseBlock } from '../converse/types.js';
import type { InvalidToolInput } from '../converse/stream-assembler.js';
import { withDeadline } from '../timers.js';
import { unknownToolResult } from '../tools/execute-tool.js';
import type { ApprovalDecision, LoopEvent, ToolCallRecord, ToolCallStatus, ToolLoopOptions } from './types.js';
import type { ResolvedTool, ToolCallContext, ToolDescriptor, Toolset } from '../tools/toolset.js';

/** The toolUse blocks of one assistant turn and what running them needs. */
export interface ToolBatch {
  calls: readonly ToolUseBlock[];
  invalidInputs: readonly InvalidToolInput[];
  toolset: Toolset;
  concurrency: number;
  timeoutMs: number;
  signal: AbortSignal;
  approve: ToolLoopOptions['approve'];
  needsApproval: (descriptor: ToolDescriptor) => boolean;
  emit: (event: LoopEvent) => void;
  /** Progress costs a token per request and a handler per call: asked for only when someone listens. */
  reportProgress: boolean;
}

/**
 * MCP's defaults as an approval policy: a tool needs approval unless its annotations say it is read-only or not
 * destructive (annotations are hints from the server, never guarantees).
 */
export function defaultNeedsApproval(descriptor: ToolDescriptor): boolean {
  const a = descriptor.annotations;
  return a?.readOnlyHint !== true && a?.destructiveHint !== false;
}

function decisionOf(decision: ApprovalDecision): { approved: boolean; reason?: string; message?: string } {
  return typeof decision === 'boolean' ? { approved: decision } : decision;
}

interface Planned {
  call: ToolUseBlock;
  /** The call's tool, resolved once here for both the approval check and the run. */
  tool: ResolvedTool | undefined;
  descriptor: ToolDescriptor | undefined;
  /** Set when the call is answered without running. */
  answer?: { status: ToolCallStatus; text: string };
}

async function plan(batch: ToolBatch): Promise<Planned[]> {
  const invalid = new Map(batch.invalidInputs.map((i) => [i.toolUseId, i]));
  const planned: Planned[] = [];
  for (const call of batch.calls) {
    const tool = batch.toolset.resolve(call.name);
    const descriptor = tool?.descriptor;
    const bad = invalid.get(call.toolUseId);
    if (bad) {
      const text =
        `Your input for ${call.name} was not used: ${bad.reason}. Call ` +
        'the tool again with a JSON object as input.';
      planned.push({ call, tool, descriptor, answer: { status: 'invalid-input', text } });
    } else if (descriptor && batch.approve && batch.needsApproval(descriptor) && !batch.signal.aborted) {
      const decision = decisionOf(
        await batch.approve({ toolUseId: call.toolUseId, name: call.name, descriptor, input: call.input }),
      );
      const text =
        decision.message ??
        `The user denied this call ` +
          `to ${call.name}${decision.reason ? `: ${decision.reason}` : '.'} Do not ` +
          `retry it unless the user asks.`;
      planned.push(
        decision.approved ? { call, tool, descriptor } : { call, tool, descriptor, answer: { status: 'denied', text } },
      );
    } else {
      planned.push({ call, tool, descriptor });
    }
  }
  return planned;
}

async function runOne(batch: ToolBatch, cancel: BatchCancel, item: Planned): Promise<ToolCallRecord> {
  const { call, descriptor } = item;
  const { toolUseId, name, input } = call;
  const server = descriptor?.server;
  const tool = descriptor?.tool;
  batch.emit({ type: 'tool-call-start', toolUseId, name, server, tool, input });
  const start = performance.now();
  const { status, result } = item.answer
    ? { status: item.answer.status, result: errorResult(toolUseId, item.answer.text) }
    : await execute(batch, cancel, call, item.tool);
  // Spelled out, not spread: copying a shared `base` object here was the loop's costliest line per call.
  const record: ToolCallRecord = {
    toolUseId,
    name,
    server,
    tool,
    input,
    status,
    durationMs: performance.now() - start,
    result,
  };
  batch.emit({ type: 'tool-call-end', record });
  return record;
}

/**
 * Cancellation for one batch: a single AbortController every call of the turn listens on (one per call cost more
 * than the rest of the loop's bookkeeping: docs/performance.md). It follows the loop's signal, and when the batch ends
 * it is also aborted if a call outlived its timeout in a toolset that does not enforce one, so the straggler stops.
 * Never after a clean batch: the MCP SDK sends `notifications/cancelled` for every request whose signal aborts.
 */
interface BatchCancel {
  signal: AbortSignal;
  expired(): void;
  end(): void;
}

function batchCancel(loop: AbortSignal, calls: number): BatchCancel {
  const controller = new AbortController();
  // The MCP SDK never removes the listener it adds per request: past Node's default of 10 that is no leak.
  if (calls > 10) setMaxListeners(calls + 1, controller.signal);
  const follow = (): void => controller.abort(loop.reason);
  if (loop.aborted) follow();
  else loop.addEventListener('abort', follow, { once: true });
  let straggler = false;
  return {
    signal: controller.signal,
    expired: () => {
      straggler = true;
    },
    end: () => {
      loop.removeEventListener('abort', follow);
      if (straggler) controller.abort(new Error('tool timeout'));
    },
  };
}

/** The toolset enforces the timeout; the deadline here only protects the loop from a toolset that does not. */
async function execute(
  batch: ToolBatch,
  cancel: BatchCancel,
  call: ToolUseBlock,
  tool: ResolvedTool | undefined,
): Promise<{ status: ToolCallStatus; result: ToolResultBlock }> {
  if (!tool) {
    const names = batch.toolset.list().map((d) => d.name);
    return { status: 'error', result: unknownToolResult(call.toolUseId, call.name, names) };
  }
  const context: ToolCallContext = { signal: cancel.signal, timeoutMs: batch.timeoutMs, toolUseId: call.toolUseId };
  if (batch.reportProgress) {
    context.onProgress = (progress) =>
      batch.emit({ type: 'tool-progress', toolUseId: call.toolUseId, name: call.name, progress });
  }
  const outcome = await withDeadline(tool.execute(call, context), batch.timeoutMs + 1_000);
  if (outcome === 'timeout' || outcome === 'aborted') {
    cancel.expired();
    return {
      status: 'timeout',
      result: errorResult(call.toolUseId, `${call.name} did not answer within ${batch.timeoutMs} ms.`),
    };
  }
  return { status: outcome.status === 'error' ? 'error' : 'success', result: outcome };
}

/**
 * Runs one turn's calls: approvals first, in order, then the approved calls under the concurrency cap; one
 * record per call, in toolUse order.
 */
export async function runToolBatch(batch: ToolBatch): Promise<ToolCallRecord[]> {
  const planned = await plan(batch);
  const records: ToolCallRecord[] = new Array(planned.length);
  const cancel = batchCancel(batch.signal, planned.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < planned.length) {
      const index = next++;
      records[index] = await runOne(batch, cancel, planned[index] as Planned);
    }
  };
  const workers = Math.max(1, Math.min(batch.concurrency, planned.length));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    cancel.end();
  }
  return records;
}
