/**
 * Retry of model calls: throttling and transient failures only, full-jitter exponential backoff
 * (longer base for throttling so the service's token bucket can refill), never after output was shown.
 */
import { sleep } from '../timers.js';
import { type ModelCallError, toModelCallError, type RetryClass } from './model-errors.js';

/**
 * How model calls are retried: throttling and transient failures only, with full-jitter exponential backoff, and
 * never once output was shown (default: 4 attempts, 200 ms base, 1 s for throttling, at most 20 s).
 */
export interface RetryPolicy {
  /** Attempts in total, including the first. */
  maxAttempts: number;
  /** Base delay for transient failures (5xx, dropped connections). */
  baseDelayMs: number;
  /** Base delay for throttling. */
  throttlingBaseDelayMs: number;
  /** No delay is longer, however many failures came before. */
  maxDelayMs: number;
}

/** The loop's retry policy unless `ToolLoopOptions.retry` gives another. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 4,
  baseDelayMs: 200,
  throttlingBaseDelayMs: 1_000,
  maxDelayMs: 20_000,
};

/** One retry, as the loop's `retry` event reports it. */
export interface RetryNotice {
  attempt: number;
  delayMs: number;
  error: ModelCallError;
}

/** Delay before retry number `failures` (1 = after the first failure). */
export function retryDelayMs(
  failures: number,
  retryClass: Exclude<RetryClass, 'none'>,
  policy: RetryPolicy,
  random = Math.random,
): number {
  const base = retryClass === 'throttling' ? policy.throttlingBaseDelayMs : policy.baseDelayMs;
  return Math.floor(random() * Math.min(policy.maxDelayMs, base * 2 ** (failures - 1)));
}

/**
 * Runs `operation` until it succeeds, fails for good, or the policy is spent. `operation` reports through
 * `outputShown()` whether it already showed output, which makes any later failure final.
 */
export async function withRetry<T>(
  modelId: string,
  policy: RetryPolicy,
  operation: (attempt: number) => Promise<T>,
  hooks: { signal?: AbortSignal; outputShown?: () => boolean; onRetry?: (notice: RetryNotice) => void } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (thrown) {
      const error = toModelCallError(thrown, modelId, hooks.outputShown?.() ?? false);
      if (error.retry === 'none' || attempt >= policy.maxAttempts || hooks.signal?.aborted) throw error;
      const delayMs = retryDelayMs(attempt, error.retry, policy);
      hooks.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, hooks.signal);
    }
  }
}
