/**
 * One request to the upstream Bedrock endpoint with the gateway's own credentials (SigV4, or a Bedrock API key);
 * the client's credentials are never forwarded. The URL is the configured endpoint with the route's model id and
 * operation, nothing else from the client's request (docs/security.md, "Gateway"). Shared by the relay and the
 * tool loop's model calls.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { routePath, type BedrockRoute } from '../http/bedrock-route.js';
import { secretsOfHeaders } from '../recording/index.js';
import type { Upstream } from './upstream.js';

/** The credential values each upstream answer's request was signed with, for the recorder to remove. */
const signedWith = new WeakMap<IncomingMessage, string[]>();

/** Hands a finished upstream exchange to the upstream's recorder, if it has one (`gateway --record`). */
export function recordUpstream(
  upstream: Upstream,
  route: BedrockRoute,
  requestBody: Buffer,
  incoming: IncomingMessage,
  responseBody: Buffer,
): void {
  if (!upstream.recorder) return;
  upstream.recorder.record({
    operation: route.operation,
    modelId: route.modelId,
    requestBody,
    status: incoming.statusCode ?? 502,
    responseHeaders: incoming.headers,
    responseBody,
    secrets: signedWith.get(incoming) ?? [],
  });
}

/** Sends `body` to the upstream for `route` and resolves with its answer (any status). */
export async function upstreamRequest(
  upstream: Upstream,
  route: BedrockRoute,
  body: Buffer,
  signal?: AbortSignal,
): Promise<IncomingMessage> {
  const base = new URL(upstream.endpoint);
  // Written out, never resolved against the endpoint: no dot segment or `//` can move the request elsewhere.
  const path = routePath(route, base.pathname);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    host: base.host,
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
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port ? Number(base.port) : undefined,
      path,
      headers,
      body,
    });
    Object.assign(headers, signed.headers);
  }
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const outgoing = send(
      {
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        headers,
        ...(signal && { signal }),
      },
      (incoming) => {
        if (upstream.recorder) signedWith.set(incoming, secretsOfHeaders(headers));
        resolve(incoming);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
