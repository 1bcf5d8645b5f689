/**
 * One TCP port that answers HTTP/1.1 and cleartext HTTP/2 (h2c, prior knowledge): the AWS SDK's default
 * handler speaks HTTP/1.1, `NodeHttp2Handler` speaks h2, and Bedrock clients must work with either.
 * The first bytes decide: the HTTP/2 connection preface goes to the h2 server, anything else to http.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;
export type Handler = (req: AnyRequest, res: AnyResponse) => void;

export interface DualServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const PREFACE = 'PRI * HTTP/2.0';

export async function listenDual(
  handler: Handler,
  options: { host?: string; port?: number } = {},
): Promise<DualServer> {
  const http1 = createHttpServer({ keepAlive: true }, handler);
  const http2 = createHttp2Server({}, handler);
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
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => net.close(() => resolve()));
      http1.close();
      http2.close();
    },
  };
}
