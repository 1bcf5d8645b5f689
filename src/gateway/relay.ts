/**
 * Pass-through: the client's request goes upstream byte for byte, re-signed with the gateway's own credentials
 * (the client's are never forwarded), and the upstream answer — JSON, event stream or error — comes back as is.
 */
import type { BedrockRoute } from '../http/bedrock-route.js';
import type { AnyResponse } from '../http/dual-protocol-server.js';
import { recordUpstream, upstreamRequest } from './upstream-request.js';
import type { Upstream } from './upstream.js';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
]);

/** Sends the client's body upstream for `route` and streams the answer back to `res`. */
export async function relay(upstream: Upstream, route: BedrockRoute, body: Buffer, res: AnyResponse): Promise<void> {
  const incoming = await upstreamRequest(upstream, route, body);
  const relayed: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming.headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) relayed[name] = value;
  res.writeHead(incoming.statusCode ?? 502, relayed);
  const recorded: Buffer[] | undefined = upstream.recorder ? [] : undefined;
  await new Promise<void>((resolve, reject) => {
    incoming.on('data', (chunk: Buffer) => {
      recorded?.push(chunk);
      (res as NodeJS.WritableStream).write(chunk);
    });
    incoming.on('end', () => {
      if (recorded) recordUpstream(upstream, route, body, incoming, Buffer.concat(recorded));
      res.end();
      resolve();
    });
    incoming.on('error', reject);
  });
}
