/**
 * An AWS SDK request handler that records every Converse / ConverseStream exchange it carries (`run --record`,
 * `chat --record`): it sees the request exactly as signed and the answer exactly as received, and hands the SDK
 * the same bytes through a pass-through stream, so the client behaves as it would without it.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { PassThrough, type Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Recorder } from './recorder.js';
import type { Operation } from './recording-file.js';
import { secretsOfHeaders } from './scrub.js';

type Handle = NodeHttpHandler['handle'];
type SdkRequest = Parameters<Handle>[0];
type SdkOptions = Parameters<Handle>[1];

/** The same settings the bridge's Bedrock client uses by default: keep-alive sockets, generous timeout. */
function defaultHandler(): NodeHttpHandler {
  return new NodeHttpHandler({
    requestTimeout: 300_000,
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
  });
}

/** The request body as bytes. The SDK's JSON body is a Uint8Array that warns when read as a string. */
function bodyBytes(body: unknown): Buffer {
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return Buffer.alloc(0);
}

const ROUTE = /\/model\/([^/]+)\/(converse|converse-stream)$/;

/** A recording handler around `inner` (default: a keep-alive HTTP/1.1 handler). Pass it as `requestHandler`. */
export class RecordingRequestHandler {
  /** What the SDK reads to choose its protocol behaviour; the inner handler's. */
  readonly metadata: NodeHttpHandler['metadata'];

  constructor(
    private readonly recorder: Recorder,
    private readonly inner: NodeHttpHandler = defaultHandler(),
  ) {
    this.metadata = inner.metadata;
  }

  /** Sends the request through the inner handler and records the exchange once its body has been read. */
  async handle(request: SdkRequest, options?: SdkOptions): ReturnType<Handle> {
    const route = ROUTE.exec(request.path);
    const result = await this.inner.handle(request, options);
    const body = result.response.body as Readable | undefined;
    if (!route || !body || typeof body.on !== 'function') return result;
    const operation = route[2] as Operation;
    const modelId = decodeURIComponent(route[1] as string);
    const chunks: Buffer[] = [];
    const tee = new PassThrough();
    body.on('data', (chunk: Buffer) => {
      chunks.push(Buffer.from(chunk));
      tee.write(chunk);
    });
    body.on('error', (error) => tee.destroy(error));
    body.on('end', () => {
      this.recorder.record({
        operation,
        modelId,
        requestBody: bodyBytes(request.body),
        status: result.response.statusCode,
        responseHeaders: result.response.headers,
        responseBody: Buffer.concat(chunks),
        secrets: secretsOfHeaders(request.headers),
      });
      tee.end();
    });
    result.response.body = tee;
    return result;
  }

  /** Passes SDK configuration through to the inner handler. */
  updateHttpClientConfig(...args: Parameters<NodeHttpHandler['updateHttpClientConfig']>): void {
    this.inner.updateHttpClientConfig(...args);
  }

  /** The inner handler's configuration. */
  httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.inner.httpHandlerConfigs();
  }

  /** Releases the inner handler's sockets. */
  destroy(): void {
    this.inner.destroy();
  }
}
