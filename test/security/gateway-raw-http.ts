/**
 * What an attacker uses against the gateway: requests written byte for byte on a socket (the request target
 * exactly as given, like `curl --path-as-is`, any Host/Origin), and a listener that counts whatever reaches it.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends one HTTP/1.1 request as written and reads the answer until the server closes. */
export function rawRequest(
  url: string,
  /** A header given as `undefined` is not sent at all. */
  request: { method?: string; target: string; headers?: Record<string, string | undefined>; body?: string | Buffer },
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const body = typeof request.body === 'string' ? Buffer.from(request.body) : (request.body ?? Buffer.alloc(0));
  const headers: Record<string, string | undefined> = {
    host: `${hostname}:${port}`,
    'content-type': 'application/json',
    'content-length': String(body.length),
    ...request.headers,
    connection: 'close',
  };
  const head = [
    `${request.method ?? 'POST'} ${request.target} HTTP/1.1`,
    ...Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [`${k}: ${v}`])),
    '',
    '',
  ].join('\r\n');
  return new Promise<RawResponse>((resolve, reject) => {
    const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server may close while a large body is still being written: the answer already read is what counts.
      if (chunks.length > 0 && (error.code === 'EPIPE' || error.code === 'ECONNRESET')) socket.emit('end');
      else reject(error);
    });
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [top = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = top.split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of lines) {
        const at = line.indexOf(':');
        parsed[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers: parsed, body: rest.join('\r\n\r\n') });
      socket.destroy();
    });
    socket.write(head);
    // No half-close: the server answers, then closes (connection: close).
    socket.write(body);
  });
}

/** A listener that must receive nothing: it counts connections and records requests, and answers 200 `{}`. */
export interface Listener {
  url: string;
  port: number;
  connections: number;
  requests: Heard[];
  close(): Promise<void>;
}

/** A request as a listener received it. */
export interface Heard {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Starts a listener on loopback; `answer` shapes its reply to the n-th request (default: a Converse answer). */
export async function startListener(
  answer: (heard: Heard, n: number) => object = () => converseAnswer(),
): Promise<Listener> {
  const listener: Listener = {
    url: '',
    port: 0,
    connections: 0,
    requests: [],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const heard = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      listener.requests.push(heard);
      const json = JSON.stringify(answer(heard, listener.requests.length - 1));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    });
  });
  server.on('connection', () => listener.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  listener.port = (server.address() as AddressInfo).port;
  listener.url = `http://127.0.0.1:${listener.port}`;
  return listener;
}

/** A Converse answer a listener can give so a relayed or looped request completes. */
export function converseAnswer(text = 'ok'): object {
  return {
    output: { message: { role: 'assistant', content: [{ text }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 },
    metrics: { latencyMs: 1 },
  };
}
