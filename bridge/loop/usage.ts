/** Token usage and latency summed over turns. */
import type { ConverseResponse } from '../converse/types.js';
import type { TurnUsage } from './types.js';

/** Zero usage, to sum into. */
export function emptyUsage(): TurnUsage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
    latencyMs: 0,
  };
}

/** The usage of one response; the measured latency stands in when the model reports none. */
export function turnUsage(response: ConverseResponse, measuredLatencyMs: number): TurnUsage {
  const u = response.usage;
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    totalTokens: u.totalTokens,
    cacheReadInputTokens: u.cacheReadInputTokens ?? 0,
    cacheWriteInputTokens: u.cacheWriteInputTokens ?? 0,
    // The service's own figure when it sends one; otherwise what we measured around the call.
    latencyMs: response.metrics.latencyMs > 0 ? response.metrics.latencyMs : measuredLatencyMs,
  };
}

/** Adds `b` into `a` and returns `a`. */
export function addUsage(a: TurnUsage, b: TurnUsage): TurnUsage {
  a.inputTokens += b.inputTokens;
  a.outputTokens += b.outputTokens;
  a.totalTokens += b.totalTokens;
  a.cacheReadInputTokens += b.cacheReadInputTokens;
  a.cacheWriteInputTokens += b.cacheWriteInputTokens;
  a.latencyMs += b.latencyMs;
  return a;
}
