/**
 * Errors the bridge throws. Tool failures never throw (they are results for the model); these are for
 * infrastructure and programmer errors. Every error has a stable `code` callers can switch on.
 */
export class BridgeError extends Error {
  override readonly name: string = 'BridgeError';

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
