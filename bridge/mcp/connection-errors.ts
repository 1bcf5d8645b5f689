/**
 * Words for why an MCP server could not be reached or stopped answering: the URL and the network cause behind
 * `fetch failed`, how a stdio process ended, and the last thing it wrote to stderr.
 */

interface ErrorLike {
  message?: string;
  code?: string | number;
  cause?: unknown;
}

/** The innermost useful message of an error and its `cause` chain, e.g. `connect ECONNREFUSED 127.0.0.1:9`. */
export function rootMessage(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const e = (typeof current === 'object' ? current : { message: String(current) }) as ErrorLike;
    if (e.message) messages.push(e.message);
    current = e.cause;
  }
  // `fetch failed` and `terminated` say nothing: the cause (DNS, refused, TLS) is what the user can act on.
  const useful = messages.filter((m) => !/^(fetch failed|terminated)$/i.test(m));
  return useful.at(-1) ?? messages[0] ?? String(error);
}

/** Why connecting to an HTTP server failed, naming the URL. */
export function describeHttpFailure(url: URL, error: unknown): string {
  const message = rootMessage(error);
  const networkLevel = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|certificate/i;
  return networkLevel.test(message) ? `cannot reach ${url.href}: ${message}` : `${url.href}: ${message}`;
}

/** `text` followed by the server's last stderr line, when it wrote one. */
export function withStderr(text: string, stderr: readonly string[]): string {
  const last = [...stderr].reverse().find((line) => line.trim() !== '');
  if (last === undefined) return text;
  const shown = last.trim().length > 200 ? `${last.trim().slice(0, 199)}…` : last.trim();
  return `${text} (stderr: ${shown})`;
}
