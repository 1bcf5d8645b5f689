/**
 * The Anthropic API's error responses: `{"type": "error", "error": {"type", "message"}, "request_id"}` with the
 * status each error type has there (docs/anthropic.md, "Errors"), and the model's failures mapped onto them.
 */
import { ModelCallError } from '../../bridge/index.js';
import type { AnyResponse } from '../http/dual-protocol-server.js';

/** The error types the Anthropic API documents, with their HTTP status. */
const STATUS = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
} as const;

/** One of the Anthropic API's error types. */
export type AnthropicErrorType = keyof typeof STATUS;

/** An error answered in the Anthropic API's shape. */
export class AnthropicError extends Error {
  readonly status: number;

  constructor(
    readonly type: AnthropicErrorType,
    message: string,
  ) {
    super(message);
    this.status = STATUS[type];
  }
}

/** The error body, for a JSON response or an SSE `error` event. */
export function errorBody(error: AnthropicError, requestId: string): string {
  return JSON.stringify({ type: 'error', error: { type: error.type, message: error.message }, request_id: requestId });
}

/** Writes the error as the Anthropic API does. */
export function sendAnthropicError(res: AnyResponse, error: AnthropicError, requestId: string): void {
  const body = errorBody(error, requestId);
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'request-id': requestId,
  });
  res.end(body);
}

/** A failed model call (after the loop's retries) as the Anthropic error of the same meaning. */
export function fromModelError(error: unknown): AnthropicError {
  if (!(error instanceof ModelCallError)) return new AnthropicError('api_error', (error as Error).message);
  const message = (error.cause as { message?: string } | undefined)?.message ?? error.message;
  const { statusCode, serviceError } = error.context;
  if (serviceError === 'ValidationException' || statusCode === 400)
    return new AnthropicError('invalid_request_error', message);
  if (serviceError === 'AccessDeniedException' || statusCode === 403)
    return new AnthropicError('permission_error', message);
  if (serviceError === 'ResourceNotFoundException' || statusCode === 404)
    return new AnthropicError('not_found_error', message);
  if (serviceError === 'ThrottlingException' || statusCode === 429)
    return new AnthropicError('rate_limit_error', message);
  if (serviceError === 'ServiceUnavailableException' || serviceError === 'ModelNotReadyException' || statusCode === 503)
    return new AnthropicError('overloaded_error', message);
  return new AnthropicError('api_error', message);
}
