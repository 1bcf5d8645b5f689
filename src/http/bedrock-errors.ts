/**
 * Bedrock's error responses, shaped so the AWS SDK throws the same exception types it throws for real Bedrock:
 * the emulator's rejections and the gateway's own and relayed errors are written here.
 */
import { randomUUID } from 'node:crypto';
import type { AnyResponse } from './dual-protocol-server.js';

/** The exceptions Bedrock's Converse operations declare, plus the authentication errors in front of them. */
export type ErrorType =
  | 'ValidationException'
  | 'ThrottlingException'
  | 'ModelNotReadyException'
  | 'ServiceUnavailableException'
  | 'InternalServerException'
  | 'AccessDeniedException'
  | 'ResourceNotFoundException'
  | 'ModelTimeoutException'
  | 'ModelErrorException'
  | 'ServiceQuotaExceededException'
  | 'UnrecognizedClientException';

const STATUS: Record<ErrorType, number> = {
  ValidationException: 400,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  ServiceUnavailableException: 503,
  InternalServerException: 500,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ServiceQuotaExceededException: 400,
  UnrecognizedClientException: 403,
};

/** One Bedrock error: its exception type, message and HTTP status (the type's usual one unless given). */
export class BedrockError extends Error {
  readonly status: number;

  constructor(
    readonly type: ErrorType | (string & {}),
    message: string,
    status?: number,
  ) {
    super(message);
    this.status = status ?? STATUS[type as ErrorType] ?? 500;
  }
}

/** A `ValidationException` (400) with this message. */
export const validation = (message: string): BedrockError => new BedrockError('ValidationException', message);

/** Writes `error` as Bedrock does: `{"message"}` with the type in `x-amzn-errortype`. */
export function sendError(res: AnyResponse, error: BedrockError, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ message: error.message });
  res.writeHead(error.status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    // The real header carries Coral's namespace suffix; the SDK cuts it at ':'.
    'x-amzn-errortype': `${error.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
}

const UNKNOWN_OPERATION = JSON.stringify({
  Output: { __type: 'com.amazon.coral.service#UnknownOperationException' },
  Version: '1.0',
});

/** What Bedrock answers for a path that is no operation (docs/security.md: an unencoded `/` in a model id). */
export function sendUnknownOperation(res: AnyResponse): void {
  res.writeHead(404, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(UNKNOWN_OPERATION),
    'x-amzn-errortype': 'UnknownOperationException',
    'x-amzn-requestid': randomUUID(),
  });
  res.end(UNKNOWN_OPERATION);
}

/** The answer to a path that `parseRoute` did not accept. */
export function sendRouteError(res: AnyResponse, error: 'unknown-operation' | 'invalid-model-id'): void {
  if (error === 'unknown-operation') sendUnknownOperation(res);
  else sendError(res, validation('The provided model identifier is invalid.'));
}
