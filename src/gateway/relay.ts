/**
 * Pass-through: the client's request goes upstream byte for byte, re-signed with the gateway's own credentials
 * (the client's are never forwarded), and the upstream answer — JSON, event stream or error — comes back as is.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AnyResponse } from '../http/dual-protocol-server.js';
import type { Upstream } from './upstream.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

export async function relay(upstream: Upstream, path: string, body: Buffer, res: AnyResponse): Promise<void> {
  const url = new URL(path.replace(/^\//, ''), upstream.endpoint.endsWith('/') ? upstream.endpoint : `${upstream.endpoint}/`);
  const headers: Record<string, string> = { 'content-type': 'application/json', host: url.host, 'content-length': String(body.length) };
  if (upstream.bearerToken) {
    headers['authorization'] = `Bearer ${upstream.bearerToken}`;
  } else {
    const signer = new SignatureV4({ service: 'bedrock', region: upstream.region, credentials: await upstream.credentials(), sha256: Hash.bind(null, 'sha256') });
    const signed = await signer.sign({ method: 'POST', protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, headers, body });
    Object.assign(headers, signed.headers);
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  await new Promise<void>((resolve, reject) => {
    const outgoing = send(url, { method: 'POST', headers }, (incoming: IncomingMessage) => {
      const relayed: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(incoming.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) relayed[name] = value;
      res.writeHead(incoming.statusCode ?? 502, relayed);
      incoming.on('data', (chunk: Buffer) => (res as NodeJS.WritableStream).write(chunk));
      incoming.on('end', () => {
        res.end();
        resolve();
      });
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
