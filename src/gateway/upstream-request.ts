/**
 * One request to the upstream Bedrock endpoint with the gateway's own credentials (SigV4, or a Bedrock API key);
 * the client's credentials are never forwarded. The URL is the configured endpoint with the route's model id and
 * operation, nothing else from the client's request (docs/security.md, "Gateway"). Shared by the relay and the
 * tool loop's model calls.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createHash } from 'node:crypto';
import aws4 from 'aws4';
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

/** Each upstream's endpoint, parsed once. */
const bases = new WeakMap<Upstream, URL>();

function baseOf(upstream: Upstream): URL {
  let base = bases.get(upstream);
  if (!base) {
    base = new URL(upstream.endpoint);
    bases.set(upstream, base);
  }
  return base;
}

/** Sends `body` to the upstream for `route` and resolves with its answer (any status). */
export async function upstreamRequest(
  upstream: Upstream,
  route: BedrockRoute,
  body: Buffer,
  signal?: AbortSignal,
): Promise<IncomingMessage> {
  const base = baseOf(upstream);
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
    // SigV4 by aws4: the signature @smithy/signature-v4 (the AWS SDK's signer) computes, byte for byte
    // (test/gateway/upstream-signature.test.ts), in a fifth of its CPU; signing was the largest share of the
    // gateway's own time per request (docs/performance.md, "Gateway"). The payload hash goes in a header, as
    // the AWS SDK sends it.
    headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex');
    const request = {
      service: 'bedrock',
      region: upstream.region,
      method: 'POST',
      host: base.host,
      path,
      headers,
      body,
    };
    Object.assign(headers, aws4.sign(request, await upstream.credentials()).headers);
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
