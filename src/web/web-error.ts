/** Errors the web chat answers with: a stable `code`, the HTTP status, and a message for the page. */
export type WebErrorCode =
  | 'WEB_BAD_REQUEST'
  | 'WEB_UNAUTHENTICATED'
  | 'WEB_FORBIDDEN'
  | 'WEB_CSRF'
  | 'WEB_NOT_FOUND'
  | 'WEB_BUSY'
  | 'WEB_RATE_LIMITED'
  | 'WEB_TOO_LARGE'
  | 'WEB_CONFIG';

export class WebError extends Error {
  constructor(
    readonly code: WebErrorCode,
    readonly status: number,
    message: string,
    /** Seconds until a rate-limited request may be retried. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}
