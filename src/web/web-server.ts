/**
 * `mcp-bedrock web`'s HTTP server: the page (bundled into dist/web) and its JSON API with a Server-Sent Events
 * stream per conversation, behind the request guard (Host, Origin, Sec-Fetch-Site), sign-in, CSRF tokens and
 * per-user rate limits. Plain HTTP/1.1: on loopback as it is, elsewhere behind a TLS-terminating proxy.
 */
import { timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import type { Accounts } from './accounts.js';
import type { Me, Role, SignedOut, StreamEvent } from './api-types.js';
import type { ConversationService } from './conversations.js';
import {
  cookieName,
  loopbackIdentity,
  publicIdentity,
  readCookie,
  refusal,
  securityHeaders,
  sessionCookie,
  type ServerIdentity,
} from './http-guard.js';
import { LocalLink } from './local-link.js';
import { type LoginSession, LoginSessions } from './login-sessions.js';
import { RateLimiter } from './rate-limit.js';
import { WebError } from './web-error.js';

/** How browsers sign in. */
export type SignIn =
  | { kind: 'link'; role: Role; onLink: (url: string) => void }
  | { kind: 'accounts'; accounts: Accounts };

export interface WebServerOptions {
  host: string;
  port: number;
  conversations: ConversationService;
  signIn: SignIn;
  /** The address browsers use when the server is behind a proxy (required beyond loopback). */
  publicUrl?: URL;
  title: string;
  modelId: string;
  /** Messages a user may send per minute (default 20). */
  messagesPerMinute?: number;
  /** Where the built page lives (default: the package's dist/web). */
  assetsDir: string;
}

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const ASSET_TYPES: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'icon.svg': 'image/svg+xml',
};
const SESSION_SECONDS = 24 * 60 * 60;
const MAX_BODY = 64 * 1024;
const Text = z
  .string()
  .trim()
  .min(1, 'the message is empty')
  .max(16_000, 'the message is longer than 16000 characters');
const SendBody = z.object({ text: Text }).strict();
const LoginBody = z.object({ username: z.string().max(64), password: z.string().max(1024) }).strict();
const DecisionBody = z.object({ approved: z.boolean() }).strict();

function loadAssets(dir: string): Map<string, { body: Buffer; type: string }> {
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const [name, type] of Object.entries({ 'index.html': 'text/html; charset=utf-8', ...ASSET_TYPES })) {
    const path = join(dir, name);
    if (existsSync(path)) assets.set(name, { body: readFileSync(path), type });
  }
  if (!assets.has('index.html') || !assets.has('app.js'))
    throw new WebError('WEB_CONFIG', 500, `the web page is not built in ${dir}: run "npm run build"`);
  return assets;
}

async function readJson<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json'))
    throw new WebError('WEB_BAD_REQUEST', 415, 'send the body as application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new WebError('WEB_TOO_LARGE', 413, `the body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new WebError('WEB_BAD_REQUEST', 400, 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new WebError('WEB_BAD_REQUEST', 400, `${where}${issue?.message ?? 'bad request body'}`);
  }
  return parsed.data;
}

/** A path segment percent-decoded once; a malformed one names nothing here (404, not a 500). */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new WebError('WEB_NOT_FOUND', 404, 'There is no such conversation.');
  }
}

function sameToken(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const assets = loadAssets(options.assetsDir);
  const sessions = new LoginSessions();
  const requests = new RateLimiter({ capacity: 240, perMs: 60_000 });
  const messages = new RateLimiter({ capacity: options.messagesPerMinute ?? 20, perMs: 60_000 });
  const signIns = new RateLimiter({ capacity: 10, perMs: 15 * 60_000 });
  const streams = new Set<ServerResponse>();
  let identity: ServerIdentity;
  let link: LocalLink | undefined;

  const send = (
    res: ServerResponse,
    status: number,
    headers: Record<string, string | number>,
    body?: string | Buffer,
  ) => {
    res.writeHead(status, { ...securityHeaders(identity), ...headers });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
    const body = JSON.stringify(value);
    send(
      res,
      status,
      {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'content-length': Buffer.byteLength(body),
        ...headers,
      },
      body,
    );
  };
  const fail = (res: ServerResponse, error: unknown) => {
    const e = error instanceof WebError ? error : new WebError('WEB_CONFIG', 500, (error as Error).message);
    json(
      res,
      e.status,
      { error: { code: e.code, message: e.message } },
      e.retryAfter ? { 'retry-after': String(e.retryAfter) } : {},
    );
  };
  const signedIn = (req: IncomingMessage) => {
    const id = readCookie(req, cookieName(identity));
    return { id, session: sessions.get(id) };
  };
  const limit = (limiter: RateLimiter, key: string) => {
    const wait = limiter.take(key);
    if (wait > 0) throw new WebError('WEB_RATE_LIMITED', 429, `Too many requests: try again in ${wait} s.`, wait);
  };
  const startSession = (res: ServerResponse, user: string, role: Role, status: number, body: unknown) => {
    const cookie = sessionCookie(identity, sessions.create(user, role), SESSION_SECONDS);
    if (status === 303) return send(res, 303, { location: '/', 'set-cookie': cookie, 'cache-control': 'no-store' });
    json(res, status, body, { 'set-cookie': cookie });
  };
  const asset = (res: ServerResponse, name: string) => {
    const file = assets.get(name);
    if (!file) return json(res, 404, { error: { code: 'WEB_NOT_FOUND', message: 'not found' } });
    send(
      res,
      200,
      { 'content-type': file.type, 'content-length': file.body.length, 'cache-control': 'no-cache' },
      file.body,
    );
  };

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/api/login' && method === 'POST') {
      if (options.signIn.kind !== 'accounts')
        throw new WebError('WEB_BAD_REQUEST', 400, 'This server signs in with the link printed in its terminal.');
      const body = await readJson(req, LoginBody);
      limit(signIns, `user:${body.username}`);
      const role = await options.signIn.accounts.verify(body.username, body.password);
      if (!role) throw new WebError('WEB_UNAUTHENTICATED', 401, 'Wrong user name or password.');
      return startSession(res, body.username, role, 200, { user: body.username, role });
    }
    const { id: cookie, session } = signedIn(req);
    if (path === '/api/me' && method === 'GET') {
      if (!session) {
        const out: SignedOut = { signIn: options.signIn.kind === 'link' ? 'link' : 'password', title: options.title };
        return json(res, 401, out);
      }
      const me: Me = {
        user: session.user,
        role: session.role,
        csrfToken: session.csrfToken,
        title: options.title,
        modelId: options.modelId,
      };
      return json(res, 200, me);
    }
    if (!session) throw new WebError('WEB_UNAUTHENTICATED', 401, 'Sign in first.');
    limit(requests, session.user);
    if (method !== 'GET' && !sameToken(req.headers['x-csrf-token'] as string | undefined, session.csrfToken))
      throw new WebError('WEB_CSRF', 403, 'Missing or wrong x-csrf-token header: reload the page.');
    if (path === '/api/logout' && method === 'POST') {
      sessions.delete(cookie);
      return json(res, 200, { ok: true }, { 'set-cookie': sessionCookie(identity, '', 0) });
    }
    return conversationsApi(req, res, url, session);
  };

  const conversationsApi = async (req: IncomingMessage, res: ServerResponse, url: URL, session: LoginSession) => {
    const { conversations } = options;
    const method = req.method ?? 'GET';
    // An operator may look through the customer's eyes; nobody can look further than their role.
    const role: Role =
      session.role === 'operator' && url.searchParams.get('view') === 'customer' ? 'customer' : session.role;
    const [, , , rawId, action, rawToolUseId, extra] = url.pathname.split('/');
    const id = rawId === undefined ? undefined : decoded(rawId);
    const toolUseId = rawToolUseId === undefined ? undefined : decoded(rawToolUseId);
    if (url.pathname === '/api/conversations') {
      if (method === 'GET') return json(res, 200, { conversations: await conversations.list(session.user) });
      if (method === 'POST') {
        const body = await readJson(req, SendBody);
        limit(messages, session.user);
        return json(res, 201, { id: await conversations.send(session.user, undefined, body.text) });
      }
    }
    if (id !== undefined && extra === undefined) {
      if (action === undefined && method === 'GET')
        return json(res, 200, await conversations.view(session.user, role, id));
      if (action === 'events' && method === 'GET' && toolUseId === undefined)
        return events(res, session.user, role, id);
      if (action === 'messages' && method === 'POST' && toolUseId === undefined) {
        const body = await readJson(req, SendBody);
        limit(messages, session.user);
        await conversations.send(session.user, id, body.text);
        return json(res, 202, { id });
      }
      if (action === 'stop' && method === 'POST' && toolUseId === undefined) {
        conversations.stop(session.user, id);
        return json(res, 202, { id });
      }
      if (action === 'approvals' && method === 'POST' && toolUseId !== undefined) {
        const body = await readJson(req, DecisionBody);
        conversations.decide(session.user, id, toolUseId, body.approved);
        return json(res, 202, { id });
      }
    }
    throw new WebError('WEB_NOT_FOUND', 404, `No API at ${method} ${url.pathname}.`);
  };

  const events = async (res: ServerResponse, user: string, role: Role, id: string) => {
    let open = false;
    const write = (event: StreamEvent) => {
      if (!open) {
        res.writeHead(200, {
          ...securityHeaders(identity),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          // Proxies such as nginx buffer responses unless told not to.
          'x-accel-buffering': 'no',
        });
        open = true;
        streams.add(res);
      }
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    const unwatch = await options.conversations.watch(user, id, { role, send: write });
    const ping = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    ping.unref();
    res.on('close', () => {
      clearInterval(ping);
      unwatch();
      streams.delete(res);
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refused = refusal(req, identity);
    if (refused) return json(res, 403, { error: { code: 'WEB_FORBIDDEN', message: `Forbidden: ${refused}.` } });
    const url = new URL(req.url ?? '/', 'http://server');
    if (url.pathname.startsWith('/api/')) return api(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new WebError('WEB_NOT_FOUND', 405, `${req.method} is not allowed here.`);
    if (url.pathname === '/login' && link) {
      if (link.consume(url.searchParams.get('token') ?? '') && options.signIn.kind === 'link')
        return startSession(res, 'local', options.signIn.role, 303, undefined);
      const page =
        'This sign-in link was used already or is not valid. Open the newest link printed by mcp-bedrock web.';
      return send(res, 403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, page);
    }
    if (url.pathname.startsWith('/assets/')) return asset(res, url.pathname.slice('/assets/'.length));
    if (url.pathname === '/healthz') return send(res, 200, { 'content-type': 'text/plain' }, 'ok');
    if (url.pathname === '/' || /^\/c\/[A-Za-z0-9._-]{1,64}$/.test(url.pathname)) return asset(res, 'index.html');
    throw new WebError('WEB_NOT_FOUND', 404, `Nothing at ${url.pathname}.`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) fail(res, error);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  identity = options.publicUrl ? publicIdentity(options.publicUrl) : loopbackIdentity(port);
  const base =
    options.publicUrl?.origin ?? `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  const { signIn } = options;
  if (signIn.kind === 'link') link = new LocalLink((token) => signIn.onLink(`${base}/login?token=${token}`));
  return {
    url: base,
    port,
    close: async () => {
      for (const stream of streams) stream.end();
      await options.conversations.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
