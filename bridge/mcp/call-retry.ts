/**
 * Retries of MCP tool calls that failed on the way (docs/deploy.md): a server behind a load balancer may be
 * restarting, draining or full. A failure that proves the call never ran (connection refused, 503, 429) is
 * retried for any tool; one after which the call may have run (502, 504, a connection cut mid-reply) only for
 * tools annotated read-only or idempotent. Calls to tools that may change something carry an idempotency key in
 * `_meta`, the same on every attempt, so a server that records it answers a retry as the first attempt.
 */
import { randomUUID } from 'node:crypto';
import { sleep } from '../timers.js';

/** The `_meta` key of the idempotency key (servers/shared/idempotency.ts reads the same one). */
export const IDEMPOTENCY_META_KEY = 'mcp-bedrock-bridge/idempotency-key';

/** How often and how patiently to retry; `attempts` counts the first one. */
export interface RetryPolicy {
  attempts: number;
  /** Delay before the first retry; doubled each time, with jitter, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Four attempts over about 0.7 s: long enough for a load balancer to notice a dead replica. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 2_000 };

/** What a failed attempt says about the call. */
export type FailureKind = 'not-run' | 'may-have-run' | 'final';

const NOT_RUN_STATUS = new Set([429, 503]);
const MAY_HAVE_RUN_STATUS = new Set([502, 504]);
const NOT_RUN_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_CONNECT_TIMEOUT']);
const MAY_HAVE_RUN_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ETIMEDOUT']);

/** Classifies an error thrown by the SDK client's `callTool` over HTTP. */
export function failureKind(error: unknown): FailureKind {
  // The SDK's SdkHttpError carries the HTTP status as `status` (its `code` names the failure).
  const status = (error as { status?: unknown })?.status;
  if (typeof status === 'number' && (error as Error).name === 'SdkHttpError') {
    if (NOT_RUN_STATUS.has(status)) return 'not-run';
    return MAY_HAVE_RUN_STATUS.has(status) ? 'may-have-run' : 'final';
  }
  // fetch() failures: TypeError('fetch failed') with the socket error as its cause.
  for (let cause: unknown = error, depth = 0; cause && depth < 4; cause = (cause as Error).cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (NOT_RUN_CODES.has(code)) return 'not-run';
    if (MAY_HAVE_RUN_CODES.has(code)) return 'may-have-run';
  }
  return 'final';
}

/**
 * Whether a stateful HTTP server no longer knows the session (it expired or the server restarted): a 404 to a
 * request that carried a session id. The specification asks the client to initialize a new session; the call was
 * refused before it ran, so it may be sent again on the new one.
 */
export function sessionGone(error: unknown): boolean {
  return (error as { status?: unknown })?.status === 404 && (error as Error).name === 'SdkHttpError';
}

/** A tool's annotations as the retry policy reads them. */
export interface RetryHints {
  readOnlyHint?: boolean;
  idempotentHint?: boolean;
}

/** Whether a tool may run twice without harm (its annotations say so). */
export function repeatable(hints: RetryHints | undefined): boolean {
  return hints?.readOnlyHint === true || hints?.idempotentHint === true;
}

/** `_meta` with a fresh idempotency key, for a call to a tool that is not read-only. */
export function idempotencyMeta(hints: RetryHints | undefined): Record<string, string> | undefined {
  return hints?.readOnlyHint === true ? undefined : { [IDEMPOTENCY_META_KEY]: randomUUID() };
}

/** Runs `attempt` until it succeeds, fails for good, is aborted, or the attempts run out. */
export async function retryToolCall<T>(
  attempt: () => Promise<T>,
  options: { policy: RetryPolicy; repeatable: boolean; signal?: AbortSignal | undefined },
): Promise<T> {
  const { policy, signal } = options;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const kind = failureKind(error);
      const allowed = kind === 'not-run' || (kind === 'may-have-run' && options.repeatable);
      if (!allowed || n >= policy.attempts || signal?.aborted) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
      await sleep(backoff / 2 + Math.random() * (backoff / 2), signal).catch(() => {});
      if (signal?.aborted) throw error;
    }
  }
}
