/**
 * The MCP Streamable HTTP endpoint (`POST/GET/DELETE /mcp`) on plain node:http, serving every session with one
 * McpServer (docs/deploy.md explains why, and what it means for servers that keep per-client state). Stateless
 * mode keeps no session at all, so any replica answers any request; stateful mode keeps a small record per
 * session (see session-table.ts). Replies are JSON unless the server sends something before the reply (progress,
 * a request to the client), which switches that reply to an SSE stream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type JSONRPCMessage,
  type MessageExtraInfo,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import { type Session, SessionTable } from './session-table.js';

/** Options of {@link McpEndpoint}. */
export interface McpEndpointOptions {
  stateless: boolean;
  sessionIdleMs: number;
  maxSessions: number;
  /** Largest request body accepted (default 4 MiB, as the MCP SDK's transport). */
  maxBodyBytes?: number;
}

type Id = string | number;
interface Message {
  jsonrpc: '2.0';
  id?: Id;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: unknown;
}

/** One POST that carried requests: its HTTP response, written once every request has been answered. */
interface Exchange {
  readonly res: ServerResponse;
  readonly session: Session | undefined;
  readonly batch: boolean;
  /** Server-side ids of the requests not answered yet. */
  readonly waiting: Set<number>;
  readonly replies: Message[];
  sse: boolean;
  done: boolean;
}

const SUPPORTED = new Set(SUPPORTED_PROTOCOL_VERSIONS);
const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};
const KEEPALIVE_MS = 25_000;

/** A JSON-RPC error answered by the endpoint itself (no request reached the server). */
export function sendError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

const isMessage = (value: unknown): value is Message =>
  typeof value === 'object' &&
  value !== null &&
  (value as Message).jsonrpc === '2.0' &&
  (typeof (value as Message).method === 'string' ||
    ((typeof (value as Message).id === 'string' || typeof (value as Message).id === 'number') &&
      ('result' in value || 'error' in value)));

const isRequest = (message: Message): boolean => message.method !== undefined && message.id !== undefined;

function accepts(req: IncomingMessage, type: string): boolean {
  const accept = req.headers.accept;
  return accept === undefined ? false : accept.includes(type) || accept.includes('*/*');
}

const sseEvent = (message: unknown): string => `event: message\ndata: ${JSON.stringify(message)}\n\n`;

/**
 * The SDK transport seen by the shared McpServer. Request ids are renumbered on the way in, so clients that
 * pick the same ids never collide, and restored on the way out.
 */
class SharedTransport implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** Set to the session of the message being delivered (the SDK reads it synchronously as `extra.sessionId`). */
  sessionId?: string;
  private nextId = 0;
  /** Server-side id → the exchange awaiting it and the id the client chose. */
  readonly pending = new Map<number, { exchange: Exchange; clientId: Id }>();

  constructor(private readonly broadcast: (message: JSONRPCMessage) => void) {}

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.onclose?.();
  }

  deliver(message: Message, session: Session | undefined, extra: MessageExtraInfo, exchange?: Exchange): void {
    if (exchange && isRequest(message)) {
      const id = ++this.nextId;
      this.pending.set(id, { exchange, clientId: message.id as Id });
      session?.requestIds.set(message.id as Id, id);
      exchange.waiting.add(id);
      message.id = id;
    } else if (message.method === 'notifications/cancelled') {
      // The client names its own id; the server knows the renumbered one (only a session can say which).
      const mapped = session?.requestIds.get(message.params?.['requestId'] as Id);
      if (mapped === undefined) return;
      message.params = { ...message.params, requestId: mapped };
    }
    this.sessionId = session?.id;
    this.onmessage?.(message as JSONRPCMessage, extra);
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const outgoing = message as Message;
    const isReply = outgoing.method === undefined;
    const key = isReply ? outgoing.id : options?.relatedRequestId;
    const entry = typeof key === 'number' ? this.pending.get(key) : undefined;
    if (!entry) {
      // Not tied to a request we hold (list_changed, logging): every session's GET stream gets it.
      if (!isReply) this.broadcast(message);
      return;
    }
    if (!isReply) return writeEvent(entry.exchange, outgoing);
    this.pending.delete(key as number);
    entry.exchange.session?.requestIds.delete(entry.clientId);
    outgoing.id = entry.clientId;
    reply(entry.exchange, key as number, outgoing);
  }
}

function startStream(exchange: Exchange): void {
  exchange.sse = true;
  const { res, session } = exchange;
  res.writeHead(200, session ? { ...SSE_HEADERS, 'mcp-session-id': session.id } : SSE_HEADERS);
  for (const earlier of exchange.replies) res.write(sseEvent(earlier));
  exchange.replies.length = 0;
}

/** A notification or request the server sends while handling a request: the reply becomes an SSE stream. */
function writeEvent(exchange: Exchange, message: Message) {
  if (exchange.done || !accepts(exchange.res.req, 'text/event-stream')) return;
  if (!exchange.sse) startStream(exchange);
  exchange.res.write(sseEvent(message));
}

function reply(exchange: Exchange, id: number, message: Message): void {
  exchange.waiting.delete(id);
  if (exchange.done) return;
  if (exchange.session && typeof (message.result as { protocolVersion?: unknown })?.protocolVersion === 'string')
    exchange.session.protocolVersion ??= (message.result as { protocolVersion: string }).protocolVersion;
  if (exchange.sse) exchange.res.write(sseEvent(message));
  else exchange.replies.push(message);
  if (exchange.waiting.size > 0) return;
  exchange.done = true;
  if (exchange.sse) {
    exchange.res.end();
    return;
  }
  const body = JSON.stringify(exchange.batch ? exchange.replies : exchange.replies[0]);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  };
  if (exchange.session) headers['mcp-session-id'] = exchange.session.id;
  exchange.res.writeHead(200, headers);
  exchange.res.end(body);
}

/** Streamable HTTP for one shared McpServer; build with {@link McpEndpoint.connect}. */
export class McpEndpoint {
  private readonly sessions: SessionTable | undefined;
  private readonly transport: SharedTransport;
  private readonly maxBodyBytes: number;
  private active = 0;
  private idle: (() => void) | undefined;

  private constructor(options: McpEndpointOptions) {
    this.maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
    this.sessions = options.stateless
      ? undefined
      : new SessionTable({ idleMs: options.sessionIdleMs, maxSessions: options.maxSessions });
    this.transport = new SharedTransport((message) => {
      if (!this.sessions) return;
      const event = sseEvent(message);
      for (const stream of this.sessions.streams()) stream.write(event);
    });
  }

  /** Connects the server to a new endpoint. */
  static async connect(server: McpServer, options: McpEndpointOptions): Promise<McpEndpoint> {
    const endpoint = new McpEndpoint(options);
    await server.connect(endpoint.transport);
    return endpoint;
  }

  /** Open sessions (0 in stateless mode). */
  get sessionCount(): number {
    return this.sessions?.size ?? 0;
  }

  /** Requests being handled now. */
  get inFlight(): number {
    return this.active;
  }

  /** Resolves once no request is being handled (graceful shutdown). */
  async drained(): Promise<void> {
    if (this.active === 0) return;
    await new Promise<void>((resolve) => {
      this.idle = resolve;
    });
  }

  /** Ends every session and GET stream. */
  close(): void {
    this.sessions?.clear();
  }

  /** Handles one request to the MCP path (Host, Origin and authentication already checked). */
  handle(req: IncomingMessage, res: ServerResponse, authInfo?: AuthInfo) {
    if (req.method === 'POST') {
      this.post(req, res, authInfo);
      return;
    }
    if (this.sessions && req.method === 'GET') return this.get(req, res);
    if (this.sessions && req.method === 'DELETE') {
      const session = this.session(req, res);
      if (session) {
        this.sessions.close(session);
        res.writeHead(200).end();
      }
      return;
    }
    const allow = this.sessions ? 'GET, POST, DELETE' : 'POST';
    sendError(res, 405, -32000, `Method not allowed: ${allow}`, { allow });
  }

  /** The request's session, or `undefined` after answering 400/404. */
  private session(req: IncomingMessage, res: ServerResponse): Session | undefined {
    const id = req.headers['mcp-session-id'];
    if (typeof id !== 'string') {
      sendError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      return undefined;
    }
    const session = this.sessions?.get(id);
    if (!session) sendError(res, 404, -32001, 'Session not found (expired or closed): initialize a new one');
    return session;
  }

  private protocolVersionOk(req: IncomingMessage, res: ServerResponse): boolean {
    const version = req.headers['mcp-protocol-version'];
    if (version === undefined || SUPPORTED.has(version as string)) return true;
    sendError(
      res,
      400,
      -32000,
      `Bad Request: Unsupported protocol version: ${String(version)} (supported ` +
        `versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
    );
    return false;
  }

  private get(req: IncomingMessage, res: ServerResponse) {
    if (!accepts(req, 'text/event-stream'))
      return sendError(res, 406, -32000, 'Not Acceptable: Client must accept text/event-stream');
    const session = this.session(req, res);
    if (!session || !this.protocolVersionOk(req, res)) return;
    if (session.stream) return sendError(res, 409, -32000, 'Conflict: Only one SSE stream is allowed per session');
    session.stream = res;
    res.writeHead(200, { ...SSE_HEADERS, 'mcp-session-id': session.id });
    res.flushHeaders();
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    res.on('close', () => {
      clearInterval(keepalive);
      if (session.stream === res) session.stream = undefined;
      session.lastSeen = Date.now();
    });
  }

  private post(req: IncomingMessage, res: ServerResponse, authInfo: AuthInfo | undefined) {
    if (!accepts(req, 'application/json') || !accepts(req, 'text/event-stream'))
      return sendError(
        res,
        406,
        -32000,
        'Not Acceptable: Client must accept both application/json and text/event-stream',
      );
    if (!req.headers['content-type']?.toLowerCase().startsWith('application/json'))
      return sendError(res, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
    if (Number(req.headers['content-length']) > this.maxBodyBytes) return this.tooLarge(res);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= this.maxBodyBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > this.maxBodyBytes) return this.tooLarge(res);
      let parsed: unknown;
      try {
        parsed = JSON.parse(chunks.length === 1 ? (chunks[0] as Buffer).toString() : Buffer.concat(chunks).toString());
      } catch {
        return sendError(res, 400, -32700, 'Parse error: Invalid JSON');
      }
      this.dispatch(req, res, parsed, authInfo);
    });
  }

  private tooLarge(res: ServerResponse): void {
    sendError(res, 413, -32000, `Payload Too Large: Request body must not exceed ${this.maxBodyBytes} bytes`, {
      connection: 'close',
    });
  }

  private dispatch(req: IncomingMessage, res: ServerResponse, parsed: unknown, authInfo: AuthInfo | undefined) {
    const batch = Array.isArray(parsed);
    const messages = (batch ? parsed : [parsed]) as unknown[];
    if (messages.length === 0 || messages.length > 100 || !messages.every(isMessage))
      return sendError(res, 400, -32600, 'Invalid Request: expected a JSON-RPC message (or a batch of at most 100)');
    const initialize = messages.some((m) => m.method === 'initialize');
    let session: Session | undefined;
    if (this.sessions) {
      if (initialize) {
        if (messages.length > 1)
          return sendError(res, 400, -32600, 'Invalid Request: Only one initialization request is allowed');
        const id = req.headers['mcp-session-id'];
        if (typeof id === 'string' && this.sessions.get(id))
          return sendError(res, 400, -32600, 'Invalid Request: Server already initialized');
        session = this.sessions.open();
        if (!session) {
          const retryAfter = String(this.sessions.retryAfterSeconds());
          return sendError(res, 503, -32000, 'Too many open sessions: retry later', { 'retry-after': retryAfter });
        }
      } else {
        session = this.session(req, res);
        if (!session) return;
      }
    }
    if (!initialize && !this.protocolVersionOk(req, res)) return;
    const extra: MessageExtraInfo = { requestInfo: { headers: req.headers } };
    if (authInfo) extra.authInfo = authInfo;
    if (!messages.some(isRequest)) {
      for (const message of messages) this.transport.deliver(message, session, extra);
      res.writeHead(202).end();
      return;
    }
    const exchange: Exchange = { res, session, batch, waiting: new Set(), replies: [], sse: false, done: false };
    this.begin(exchange);
    for (const message of messages) this.transport.deliver(message, session, extra, exchange);
  }

  /** Counts the exchange as in flight until its response ends; a client that leaves cancels its requests. */
  private begin(exchange: Exchange): void {
    this.active++;
    if (exchange.session) exchange.session.inFlight++;
    exchange.res.once('close', () => {
      if (!exchange.done) {
        exchange.done = true;
        for (const id of exchange.waiting) {
          const entry = this.transport.pending.get(id);
          this.transport.pending.delete(id);
          if (entry) exchange.session?.requestIds.delete(entry.clientId);
          const cancel = { jsonrpc: '2.0' as const, method: 'notifications/cancelled', params: { requestId: id } };
          this.transport.onmessage?.(cancel as JSONRPCMessage);
        }
      }
      if (exchange.session) {
        exchange.session.inFlight--;
        exchange.session.lastSeen = Date.now();
      }
      if (--this.active === 0) this.idle?.();
    });
  }
}
