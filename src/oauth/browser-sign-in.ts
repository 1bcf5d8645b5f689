/**
 * The user's half of an authorization-code sign-in (docs/remote-servers.md, "The CLI's sign-in"): a loopback
 * listener on the redirect URI (RFC 8252), the browser opened on the authorization URL, and, where asked, a
 * pasted redirect address as the fallback when no browser can reach the listener (a remote shell).
 */
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { BridgeError } from '../../bridge/index.js';
import { openUrl } from '../cli/open-url.js';

/** How {@link signInWithBrowser} reaches the user. */
export interface BrowserSignInOptions {
  /** The MCP server's name, for the messages. */
  server: string;
  /** The loopback URI the authorization server redirects to (`http://127.0.0.1:PORT/callback`). */
  redirectUri: string;
  /** Where the instructions go (stderr, or chat's notice line). */
  notice: (line: string) => void;
  /** Also accept the redirect address pasted on stdin (`auth login`). */
  paste?: boolean;
  /** Opens a URL in a browser; false when there is none (default: `$BROWSER` or the platform's opener). */
  open?: (url: string) => Promise<boolean>;
  env?: NodeJS.ProcessEnv;
}

const PAGE = (title: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><p>${title}</p><p>You can close this tab.</p>`;

/** The query of a pasted redirect address (the whole URL, or just its `?code=…&state=…`). */
function pastedParams(line: string): URLSearchParams | undefined {
  const text = line.trim();
  if (text === '') return undefined;
  const query = text.includes('?') ? text.slice(text.indexOf('?') + 1) : text;
  const params = new URLSearchParams(query.split('#')[0]);
  return params.has('code') || params.has('error') ? params : undefined;
}

/**
 * Sends the user to `url` and resolves with the query of the redirect back to `redirectUri`: the first of the
 * loopback listener's callback and (with `paste`) a pasted address.
 *
 * @throws BridgeError `OAUTH_REDIRECT_PORT` when the redirect port is taken.
 */
export async function signInWithBrowser(url: URL, options: BrowserSignInOptions): Promise<URLSearchParams> {
  const redirect = new URL(options.redirectUri);
  let settle: (params: URLSearchParams) => void = () => {};
  const answered = new Promise<URLSearchParams>((resolve) => {
    settle = resolve;
  });
  const listener = createServer((req, res) => {
    const target = new URL(req.url ?? '/', redirect);
    if (req.method !== 'GET' || target.pathname !== redirect.pathname || !pastedParams(target.search)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const refused = target.searchParams.has('error');
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(PAGE(refused ? 'Sign-in was refused.' : `Signed in to ${options.server.replace(/[<>&"]/g, '')}.`));
    settle(target.searchParams);
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new BridgeError(
          'OAUTH_REDIRECT_PORT',
          `cannot listen on ${redirect.host} for the sign-in redirect (${error.code ?? error.message})`,
        ),
      ),
    );
    listener.listen(Number(redirect.port), redirect.hostname, resolve);
  });
  const reader = options.paste ? createInterface({ input: process.stdin }) : undefined;
  reader?.on('line', (line) => {
    const params = pastedParams(line);
    if (params) settle(params);
    else options.notice('  That is not the address you were sent to (it has no ?code=…); paste the whole address.');
  });
  try {
    const opened = await (options.open ?? ((u: string) => openUrl(u, options.env)))(url.href);
    options.notice(
      `MCP server "${options.server}" needs you to sign ` +
        `in. ${opened ? 'Opened your browser at' : 'Open this address in a browser'}:`,
    );
    options.notice(`  ${url.href}`);
    if (options.paste)
      options.notice(
        '  If the browser cannot reach this machine, paste here the address it ends on (starting with ' +
          `${redirect.origin}${redirect.pathname}).`,
      );
    return await answered;
  } finally {
    reader?.close();
    listener.closeAllConnections();
    await new Promise((resolve) => listener.close(resolve));
  }
}
