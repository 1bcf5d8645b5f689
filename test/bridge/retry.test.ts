import { describe, expect, it } from 'vitest';
import { ModelCallError, toModelCallError } from '../../bridge/model/model-errors.js';
import { retryDelayMs, withRetry, type RetryNotice, type RetryPolicy } from '../../bridge/model/retry.js';

const fast: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1, throttlingBaseDelayMs: 2, maxDelayMs: 5 };

function serviceError(name: string, status: number, message = 'boom'): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, requestId: 'req-1' } });
}

describe('toModelCallError', () => {
  it.each([
    ['ThrottlingException', 429, 'MODEL_THROTTLED', 'throttling'],
    ['ModelNotReadyException', 429, 'MODEL_NOT_READY', 'throttling'],
    ['ServiceUnavailableException', 503, 'MODEL_UNAVAILABLE', 'transient'],
    ['InternalServerException', 500, 'MODEL_UNAVAILABLE', 'transient'],
    ['ValidationException', 400, 'MODEL_VALIDATION', 'none'],
    ['AccessDeniedException', 403, 'MODEL_ACCESS_DENIED', 'none'],
    ['ResourceNotFoundException', 404, 'MODEL_NOT_FOUND', 'none'],
    ['ModelErrorException', 424, 'MODEL_ERROR', 'none'],
    ['ModelTimeoutException', 408, 'MODEL_TIMEOUT', 'none'],
  ])('%s (%i) → %s, retry %s', (name, status, code, retry) => {
    const error = toModelCallError(serviceError(name, status), 'anthropic.claude-3-haiku-20240307-v1:0');
    expect(error).toBeInstanceOf(ModelCallError);
    expect({
      code: error.code,
      retry: error.retry,
      status: error.context.statusCode,
      requestId: error.context.requestId,
    }).toEqual({
      code,
      retry,
      status,
      requestId: 'req-1',
    });
  });

  it('recognises context overflow inside a ValidationException', () => {
    const error = toModelCallError(
      serviceError('ValidationException', 400, 'Input is too long for requested model.'),
      'm',
    );
    expect(error.code).toBe('MODEL_CONTEXT_OVERFLOW');
  });

  it('classifies refused connections as transient and names the model', () => {
    const error = toModelCallError(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      'm',
    );
    expect([error.code, error.retry, error.message]).toEqual([
      'MODEL_NETWORK',
      'transient',
      'm: connect ECONNREFUSED 127.0.0.1:1',
    ]);
  });

  it('does not retry a host name that does not resolve, and says which options to check', () => {
    const error = toModelCallError(
      Object.assign(new Error('getaddrinfo ENOTFOUND bedrock-runtime.us-eest-1.amazonaws.com'), { code: 'ENOTFOUND' }),
      'm',
    );
    expect([error.code, error.retry]).toEqual(['MODEL_HOST_NOT_FOUND', 'none']);
    expect(error.message).toContain('amazonaws.com. The endpoint host name does not resolve: check --endpoint');
  });

  it('tells the user how to fix missing credentials', () => {
    const error = toModelCallError(
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      'm',
    );
    expect(error.code).toBe('CREDENTIALS_MISSING');
    expect(error.message).toMatch(/AWS_PROFILE/);
    expect(error.message).toMatch(/AWS_BEARER_TOKEN_BEDROCK/);
    expect(error.message).toContain('any providers. Configure AWS credentials');
  });

  it('never marks a failure after shown output as retryable', () => {
    expect(toModelCallError(serviceError('ThrottlingException', 429), 'm', true).retry).toBe('none');
  });
});

describe('withRetry', () => {
  it('retries throttling with growing, jittered delays until it succeeds', async () => {
    const notices: RetryNotice[] = [];
    let calls = 0;
    const result = await withRetry(
      'm',
      fast,
      async () => {
        calls++;
        if (calls < 3) throw serviceError('ThrottlingException', 429);
        return 'ok';
      },
      { onRetry: (n) => notices.push(n) },
    );
    expect(result).toBe('ok');
    expect(notices.map((n) => [n.attempt, n.error.code])).toEqual([
      [1, 'MODEL_THROTTLED'],
      [2, 'MODEL_THROTTLED'],
    ]);
    // Full jitter: each delay lies below its attempt's ceiling, which doubles from the throttling base.
    for (const notice of notices) {
      expect(notice.delayMs).toBeGreaterThanOrEqual(0);
      expect(notice.delayMs).toBeLessThan(fast.throttlingBaseDelayMs * 2 ** (notice.attempt - 1));
    }
    const roomy: RetryPolicy = { ...fast, throttlingBaseDelayMs: 1_000, maxDelayMs: 20_000 };
    const ceiling = (failures: number) => retryDelayMs(failures, 'throttling', roomy, () => 0.9999);
    expect([1, 2, 3, 4].map(ceiling)).toEqual([999, 1999, 3999, 7999]);
    const draws = [0.1, 0.5, 0.9].map((r) => retryDelayMs(2, 'throttling', roomy, () => r));
    expect(draws).toEqual([200, 1000, 1800]);
  });

  it('gives up after maxAttempts with the typed error', async () => {
    let calls = 0;
    const run = withRetry('m', fast, async () => {
      calls++;
      throw serviceError('ServiceUnavailableException', 503);
    });
    await expect(run).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    expect(calls).toBe(4);
  });

  it('does not retry validation errors or failures after output was shown', async () => {
    let calls = 0;
    await expect(
      withRetry('m', fast, async () => {
        calls++;
        throw serviceError('ValidationException', 400);
      }),
    ).rejects.toMatchObject({ code: 'MODEL_VALIDATION' });
    await expect(
      withRetry(
        'm',
        fast,
        async () => {
          calls++;
          throw serviceError('ThrottlingException', 429);
        },
        { outputShown: () => true },
      ),
    ).rejects.toMatchObject({ code: 'MODEL_THROTTLED', retry: 'none' });
    expect(calls).toBe(2);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const slow: RetryPolicy = { ...fast, throttlingBaseDelayMs: 60_000, maxDelayMs: 60_000 };
    const run = withRetry(
      'm',
      slow,
      async () => {
        throw serviceError('ThrottlingException', 429);
      },
      {
        signal: controller.signal,
        onRetry: () => controller.abort(new Error('user pressed Ctrl-C')),
      },
    );
    await expect(run).rejects.toThrow('user pressed Ctrl-C');
  });

  it('caps each delay by the policy', () => {
    expect(retryDelayMs(10, 'throttling', fast, () => 0.999)).toBeLessThanOrEqual(5);
    expect(retryDelayMs(1, 'transient', { ...fast, baseDelayMs: 100, maxDelayMs: 1_000 }, () => 0.5)).toBe(50);
    expect(retryDelayMs(3, 'transient', { ...fast, baseDelayMs: 100, maxDelayMs: 1_000 }, () => 0.5)).toBe(200);
  });
});
