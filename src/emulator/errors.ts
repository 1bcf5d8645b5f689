/** Bedrock's error responses, shaped so the AWS SDK throws the same exception types it throws for real Bedrock. */
import { randomUUID } from 'node:crypto';
import type { AnyResponse } from '../http/dual-protocol-server.js';

export type ErrorType =
  | 'ValidationException'
  | 'ThrottlingException'
  | 'ModelNotReadyException'
  | 'ServiceUnavailableException'
  | 'InternalServerException'
  | 'AccessDeniedException'
  | 'ResourceNotFoundException'
  | 'ModelTimeoutException'
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
  UnrecognizedClientException: 403,
};

export class BedrockError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return STATUS[this.type];
  }
}

export const validation = (message: string): BedrockError => new BedrockError('ValidationException', message);

export function sendError(res: AnyResponse, error: BedrockError): void {
  const body = JSON.stringify({ message: error.message });
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    // The real header carries Coral's namespace suffix; the SDK cuts it at ':'.
    'x-amzn-errortype': `${error.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
}
