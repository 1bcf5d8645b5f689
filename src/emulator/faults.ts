/**
 * Injected faults (docs/emulator.md, "Faults"): Bedrock's modelled exceptions before any answer, exception frames
 * in the middle of a stream, and `text-tool-call`, Mistral Large's recorded habit of writing a call as text.
 * A request's `x-emulator-fault: <kind>` header wins over the programmatic queue, one fault per request.
 */
import { BedrockError, type ErrorType } from '../http/bedrock-errors.js';
import type { AnyRequest } from '../http/dual-protocol-server.js';

/** Every fault the emulator can inject. */
export type FaultKind =
  | 'throttle'
  | 'not-ready'
  | 'unavailable'
  | 'internal'
  | 'timeout'
  | 'not-found'
  | 'access-denied'
  | 'throttle-mid-stream'
  | 'stream-error'
  | 'text-tool-call';

/** One fault to inject, with an optional message instead of Bedrock's. */
export interface Fault {
  kind: FaultKind;
  message?: string;
}

type AnswerFault = 'throttle-mid-stream' | 'stream-error' | 'text-tool-call';

/** Faults that fail the request with one of Bedrock's exceptions and the message Bedrock sends with it. */
const REQUEST_FAULTS: Record<Exclude<FaultKind, AnswerFault>, [ErrorType, string]> = {
  throttle: ['ThrottlingException', 'Too many requests, please wait before trying again.'],
  'not-ready': ['ModelNotReadyException', 'Model is not ready to serve inference requests. Try again later.'],
  unavailable: ['ServiceUnavailableException', 'Bedrock is unable to process your request.'],
  internal: [
    'InternalServerException',
    'The system encountered an unexpected error during processing. Try your request again.',
  ],
  timeout: ['ModelTimeoutException', 'Model has timed out in processing the request. Try your request again.'],
  'not-found': [
    'ResourceNotFoundException',
    'This model version has reached the end of its life. Please refer to the AWS documentation for more details.',
  ],
  'access-denied': ['AccessDeniedException', "You don't have access to the model with the specified model ID."],
};

const KINDS: readonly string[] = [
  ...Object.keys(REQUEST_FAULTS),
  'throttle-mid-stream',
  'stream-error',
  'text-tool-call',
];

/** The fault for this request: the header's, else the next queued one. */
export function faultFor(req: AnyRequest, queue: Fault[]): Fault | undefined {
  const header = req.headers['x-emulator-fault'];
  if (typeof header === 'string' && KINDS.includes(header)) return { kind: header as FaultKind };
  return queue.shift();
}

/** The exception a request-failing fault answers with, or undefined for faults that shape the answer. */
export function faultError(fault: Fault | undefined): BedrockError | undefined {
  if (!fault || !(fault.kind in REQUEST_FAULTS)) return undefined;
  const [type, message] = REQUEST_FAULTS[fault.kind as Exclude<FaultKind, AnswerFault>];
  return new BedrockError(type, fault.message ?? message);
}

/** The exception frame (`:exception-type`, message) a mid-stream fault ends the stream with. */
export function midStreamException(fault: Fault | undefined): [string, string] | undefined {
  if (fault?.kind === 'throttle-mid-stream')
    return ['throttlingException', fault.message ?? 'Too many tokens, please wait before trying again.'];
  if (fault?.kind === 'stream-error')
    return ['modelStreamErrorException', fault.message ?? 'The model stream was interrupted.'];
  return undefined;
}
