/**
 * One request to the upstream Bedrock endpoint with the gateway's own credentials (SigV4, or a Bedrock API key);
 * the client's credentials are never forwarded. Shared by the relay and the tool-injection loop's model calls.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { secretsOfHeaders } from '../recording/index.js';
import type { Upstream } from './upstream.js';

const ROUTE = /\/model\/([^/]+)\/(converse|converse-stream)$/;
/** The credential values each upstream answer's request was signed with, for the recorder to remove. */
const signedWith = new WeakMap<IncomingMessage, string[]>();

/** Hands a finished upstream exchange to the upstream's recorder, if it has one (`gateway --record`). */
export function recordUpstream(
  upstream: Upstream,
  path: string,
  requestBody: Buffer,
  incoming: IncomingMessage,
  responseBody: Buffer,
): void {
  const route = ROUTE.exec(path);
  if (!upstream.recorder || !route) return;
  upstream.recorder.record({
    operation: route[2] as 'converse' | 'converse-stream',
    modelId: decodeURIComponent(route[1] as string),
    requestBody,
    status: incoming.statusCode ?? 502,
    responseHeaders: incoming.headers,
    responseBody,
    secrets: signedWith.get(incoming) ?? [],
  });
}

export async function upstreamRequest(
  upstream: Upstream,
  path: string,
  body: Buffer,
  signal?: AbortSignal,
): Promise<IncomingMessage> {
  const url = new URL(
    path.replace(/^\//, ''),
    upstream.endpoint.endsWith('/') ? upstream.endpoint : `${upstream.endpoint}/`,
  );
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    host: url.host,
    'content-length': String(body.length),
  };
  if (upstream.bearerToken) {
    headers['authorization'] = `Bearer ${upstream.bearerToken}`;
  } else {
    const signer = new SignatureV4({
      service: 'bedrock',
      region: upstream.region,
      credentials: await upstream.credentials(),
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      headers,
      body,
    });
    Object.assign(headers, signed.headers);
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const outgoing = send(url, { method: 'POST', headers, ...(signal && { signal }) }, (incoming) => {
      if (upstream.recorder) signedWith.set(incoming, secretsOfHeaders(headers));
      resolve(incoming);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
