/** ConverseStream framing (application/vnd.amazon.eventstream) with the SDK's own codec. */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
let padCounter = 0;

/** Real frames carry a variable-length `p` field that hides payload sizes; clients must ignore it. */
function padded(payload: object): Uint8Array {
  padCounter = (padCounter + 7) % PADDING.length;
  return fromUtf8(JSON.stringify({ ...payload, p: PADDING.slice(0, padCounter + 1) }));
}

/** A text as the short pieces a stream delivers it in (about 12 characters, cut after a space). */
export const textPieces = (text: string): string[] => text.match(/.{1,12}(\s|$)|\S+?(\s|$)/gs) ?? [text];

/** One event frame: its type, JSON payload and Bedrock's padding. */
export function eventFrame(eventType: string, payload: object): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: padded(payload),
  });
}

/** A modelled exception after the 200 was sent, e.g. `throttlingException`. */
export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}
