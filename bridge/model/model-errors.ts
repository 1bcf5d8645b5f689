/**
 * Typed model-call failures with the context needed to act on them: which model, HTTP status, request id,
 * and whether a retry can help (throttling vs transient vs never).
 */
import { BridgeError } from '../errors.js';

/** What went wrong with a model call, as a stable code to switch on. */
export type ModelErrorCode =
  | 'MODEL_THROTTLED'
  | 'MODEL_NOT_READY'
  | 'MODEL_VALIDATION'
  | 'MODEL_CONTEXT_OVERFLOW'
  | 'MODEL_ACCESS_DENIED'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_UNAVAILABLE'
  | 'MODEL_TIMEOUT'
  | 'MODEL_ERROR'
  | 'MODEL_NETWORK'
  | 'MODEL_HOST_NOT_FOUND'
  | 'MODEL_ABORTED'
  | 'CREDENTIALS_MISSING';

/** Whether a retry can help: after a pause for throttling, soon for transient failures, or not at all. */
export type RetryClass = 'throttling' | 'transient' | 'none';

/** What is known about a failed call. */
export interface ModelErrorContext {
  modelId: string;
  /** The HTTP status, when the service answered. */
  statusCode?: number;
  /** Bedrock's request id, for AWS support. */
  requestId?: string;
  /** The service's own error name, e.g. `ThrottlingException`. */
  serviceError?: string;
  /** True when the failure came after stream output reached the caller (it must not be replayed). */
  afterOutput?: boolean;
}

/**
 * A failed model call. Its `code` says what failed, `retry` whether retrying can help, and `context` which model,
 * HTTP status and request id; the message ends with a hint where one helps (credentials, model access).
 */
export class ModelCallError extends BridgeError {
  override readonly name = 'ModelCallError';
  readonly retry: RetryClass;

  constructor(
    override readonly code: ModelErrorCode,
    message: string,
    readonly context: ModelErrorContext,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.retry = context.afterOutput ? 'none' : retryClassOf(code);
  }
}

function retryClassOf(code: ModelErrorCode): RetryClass {
  if (code === 'MODEL_THROTTLED' || code === 'MODEL_NOT_READY') return 'throttling';
  if (code === 'MODEL_UNAVAILABLE' || code === 'MODEL_NETWORK') return 'transient';
  return 'none';
}

// Service error names (also the lower-camel in-stream forms, which the SDK capitalises) → our codes.
const SERVICE_ERRORS: Record<string, ModelErrorCode> = {
  ThrottlingException: 'MODEL_THROTTLED',
  TooManyRequestsException: 'MODEL_THROTTLED',
  ServiceQuotaExceededException: 'MODEL_THROTTLED',
  ModelNotReadyException: 'MODEL_NOT_READY',
  ValidationException: 'MODEL_VALIDATION',
  AccessDeniedException: 'MODEL_ACCESS_DENIED',
  UnrecognizedClientException: 'MODEL_ACCESS_DENIED',
  InvalidSignatureException: 'MODEL_ACCESS_DENIED',
  ExpiredTokenException: 'MODEL_ACCESS_DENIED',
  ResourceNotFoundException: 'MODEL_NOT_FOUND',
  ServiceUnavailableException: 'MODEL_UNAVAILABLE',
  InternalServerException: 'MODEL_UNAVAILABLE',
  ModelTimeoutException: 'MODEL_TIMEOUT',
  ModelErrorException: 'MODEL_ERROR',
  ModelStreamErrorException: 'MODEL_ERROR',
  CredentialsProviderError: 'CREDENTIALS_MISSING',
  AbortError: 'MODEL_ABORTED',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ERR_HTTP2_STREAM_ERROR',
]);

// Bedrock reports context overflow as a ValidationException with one of these phrasings (Strands' list).
const CONTEXT_OVERFLOW = /input is too long|exceed context limit|too many total text bytes|prompt is too long/i;

const HINTS: Partial<Record<ModelErrorCode, string>> = {
  MODEL_HOST_NOT_FOUND: 'The endpoint host name does not resolve: check --endpoint and --region.',
  MODEL_ACCESS_DENIED: 'Check the credentials, and that model access is granted for this model in this region.',
  MODEL_NOT_FOUND: 'Check the model id and region (some models need an inference profile id such as "us.<model>").',
  CREDENTIALS_MISSING:
    'Configure AWS credentials (AWS_PROFILE, `aws sso login`, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) or set ' +
    'AWS_BEARER_TOKEN_BEDROCK to a Bedrock API key; for offline use point the client at an emulator endpoint.',
};

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** Turns anything an SDK or transport threw into a `ModelCallError`. */
export function toModelCallError(error: unknown, modelId: string, afterOutput = false): ModelCallError {
  if (error instanceof ModelCallError) {
    if (!afterOutput || error.context.afterOutput) return error;
    return new ModelCallError(error.code, error.message, { ...error.context, afterOutput }, { cause: error.cause });
  }
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorLike;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  let code: ModelErrorCode =
    SERVICE_ERRORS[name] ??
    // A name that does not resolve (a typo in --endpoint or --region) stays unresolved: not worth a retry.
    (e.code === 'ENOTFOUND' ? 'MODEL_HOST_NOT_FOUND' : undefined) ??
    (e.code && NETWORK_CODES.has(e.code) ? 'MODEL_NETWORK' : undefined) ??
    (status === 429 ? 'MODEL_THROTTLED' : status !== undefined && status >= 500 ? 'MODEL_UNAVAILABLE' : 'MODEL_ERROR');
  const message = e.message ?? name;
  if (code === 'MODEL_VALIDATION' && CONTEXT_OVERFLOW.test(message)) code = 'MODEL_CONTEXT_OVERFLOW';
  const hint = HINTS[code];
  const context: ModelErrorContext = { modelId, serviceError: name, afterOutput };
  if (status !== undefined) context.statusCode = status;
  if (e.$metadata?.requestId) context.requestId = e.$metadata.requestId;
  // The SDK's messages often end without a period ("Could not load credentials from any providers").
  const sentence = hint && !/[.!?]$/.test(message.trim()) ? `${message.trim()}.` : message;
  return new ModelCallError(code, `${modelId}: ${sentence}${hint ? ` ${hint}` : ''}`, context, { cause: error });
}
