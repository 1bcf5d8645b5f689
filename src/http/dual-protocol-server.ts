/**
 * One TCP port that answers HTTP/1.1 and cleartext HTTP/2 (h2c, prior knowledge): the AWS SDK's default
 * handler speaks HTTP/1.1, `NodeHttp2Handler` speaks h2, and Bedrock clients must work with either.
 * The first bytes decide: the HTTP/2 connection preface goes to the h2 server, anything else to http.
 * `shutdown()` drains as the MCP servers' HTTP host does (docs/deploy.md): stop accepting, let requests in flight
 * finish (a handler's returned promise included), then close every connection.
 */
import { createServer as createHttpServer, type IncomingMessage, ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;
/** Answers one request; a returned promise keeps the request in flight (for `shutdown`) until it settles. */
export type Handler = (req: AnyRequest, res: AnyResponse) => void | Promise<void>;

export interface DualServer {
  url: string;
  port: number;
  /** Closes at once (requests in flight are cut). */
  close(): Promise<void>;
  /** Stops accepting, waits up to `timeoutMs` (default 10 s) for requests in flight, then closes. */
  shutdown(timeoutMs?: number): Promise<void>;
}

const PREFACE = 'PRI * HTTP/2.0';

export async function listenDual(
  handler: Handler,
  options: { host?: string; port?: number } = {},
): Promise<DualServer> {
  let inFlight = 0;
  let draining = false;
  let idle: (() => void) | undefined;
  // In flight until both the response has closed and the handler's promise has settled.
  const tracked: Handler = (req, res) => {
    inFlight++;
    let open = 2;
    const settle = (): void => {
      if (--open === 0 && --inFlight === 0) idle?.();
    };
    res.once('close', settle);
    // A request on a kept-alive HTTP/1.1 connection while draining is answered, and its connection then closes.
    // (HTTP/2 has no Connection header: its session got a GOAWAY instead.)
    if (draining && res instanceof ServerResponse && !res.headersSent) res.setHeader('connection', 'close');
    let answered: void | Promise<void> = undefined;
    try {
      answered = handler(req, res);
    } finally {
      if (answered instanceof Promise) answered.then(settle, settle);
      else settle();
    }
  };
  const http1 = createHttpServer({ keepAlive: true }, tracked);
  const http2 = createHttp2Server({}, tracked);
  const sessions = new Set<ServerHttp2Session>();
  http2.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const sockets = new Set<Socket>();
  const net = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('readable', () => {
      const head = (socket.read(PREFACE.length) as Buffer | null) ?? (socket.read() as Buffer | null);
      if (head) socket.unshift(head);
      const target = head?.toString('latin1').startsWith(PREFACE) ? http2 : http1;
      target.emit('connection', socket);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    net.listen(options.port ?? 0, host, resolve);
  });
  const { port } = net.address() as AddressInfo;
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => net.close(() => resolve()));
    http1.close();
    http2.close();
  };
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close,
    shutdown: async (timeoutMs = 10_000) => {
      draining = true;
      net.close();
      http1.closeIdleConnections();
      // GOAWAY: an h2 client opens no new streams here; the streams it has finish.
      for (const session of sessions) session.close();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        inFlight === 0 ? undefined : new Promise<void>((resolve) => (idle = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
      await close();
    },
  };
}
