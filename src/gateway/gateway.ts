/**
 * Gateway mode: a Bedrock-compatible endpoint (`/model/{modelId}/converse` and `/converse-stream`, HTTP/1.1 and
 * h2c) in front of Bedrock. Clients keep their Bedrock SDK and point `endpoint` here; the gateway holds the real
 * credentials, adds the configured MCP servers' tools to each request and runs them itself.
 */
import { randomUUID } from 'node:crypto';
import {
  streamEventsOf,
  ModelCallError,
  type ConverseRequest,
  type Toolset,
  capabilitiesFor,
} from '../../bridge/index.js';
import { listenDual, readBody, type AnyResponse } from '../http/dual-protocol-server.js';
import { eventFrame } from '../http/event-stream.js';
import { clientAllowed } from './client-auth.js';
import { relay } from './relay.js';
import { answerWithTools } from './tool-injection.js';
import type { Upstream } from './upstream.js';
import { WireModelClient } from './wire-model-client.js';
import { fromWireJson, toWireJson } from './wire-json.js';

export interface GatewayOptions {
  host?: string;
  port?: number;
  upstream: Upstream;
  /** The MCP tools to add; without any, requests are relayed unchanged. */
  toolset?: Toolset;
  /** Bearer keys or SigV4 access key ids allowed to call; empty = anyone (loopback only). */
  keys?: readonly string[];
  /** Report the gateway's own tool calls in an `x-mcp-bedrock-tool-calls` response header. */
  exposeToolTraffic?: boolean;
}

export interface Gateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

const ROUTE = /\/model\/([^/]+)\/(converse|converse-stream)$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function sendError(res: AnyResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ message });
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': type,
    'x-amzn-requestid': randomUUID(),
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Upstream failures reach the client as the same Bedrock exception, status and message. */
function sendModelError(res: AnyResponse, error: unknown): void {
  if (!(error instanceof ModelCallError)) {
    sendError(res, 500, 'InternalServerException', (error as Error).message);
    return;
  }
  const cause = (error.cause as { message?: string } | undefined)?.message ?? error.message;
  const { statusCode, serviceError } = error.context;
  // No answer from upstream at all (refused, reset, DNS): what the relay says in the same case.
  if (statusCode === undefined) {
    sendError(res, 502, 'ServiceUnavailableException', `The gateway could not reach upstream: ${cause}`);
    return;
  }
  sendError(res, statusCode, serviceError ?? 'InternalServerException', cause);
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1';
  const keys = new Set(options.keys ?? []);
  if (keys.size === 0 && !LOOPBACK.has(host)) {
    throw new Error(
      `the gateway listens on ${host}, beyond loopback: give it client keys (--key) so only your clients can spend your Bedrock credentials`,
    );
  }
  const models = new WireModelClient(options.upstream);
  const server = await listenDual(
    (req, res) => {
      void (async () => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const route = ROUTE.exec(path);
        if (req.method !== 'POST' || !route)
          return sendError(res, 404, 'UnknownOperationException', `Unknown operation ${req.method} ${path}`);
        if (!clientAllowed(req, keys))
          return sendError(res, 403, 'AccessDeniedException', 'This gateway does not accept these credentials.');
        const body = await readBody(req);
        const modelId = decodeURIComponent(route[1] as string);
        const stream = route[2] === 'converse-stream';
        const inject =
          options.toolset !== undefined &&
          options.toolset.list().length > 0 &&
          capabilitiesFor(modelId).toolUse === 'native';
        if (!inject) return relay(options.upstream, path, body, res);
        let request: ConverseRequest;
        try {
          request = { ...fromWireJson<Omit<ConverseRequest, 'modelId'>>(body.toString('utf8')), modelId };
        } catch {
          return sendError(res, 400, 'ValidationException', 'The request body is not valid JSON.');
        }
        try {
          const { response, calls } = await answerWithTools(request, options.toolset as Toolset, models);
          const headers: Record<string, string> = { 'x-amzn-requestid': randomUUID() };
          if (options.exposeToolTraffic) headers['x-mcp-bedrock-tool-calls'] = JSON.stringify(calls);
          if (!stream) {
            const json = toWireJson(response);
            res.writeHead(200, {
              ...headers,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(json),
            });
            return res.end(json);
          }
          res.writeHead(200, { ...headers, 'content-type': 'application/vnd.amazon.eventstream' });
          for (const event of streamEventsOf(response)) {
            const [name, payload] = Object.entries(event)[0] as [string, object];
            (res as NodeJS.WritableStream).write(eventFrame(name, payload));
          }
          res.end();
        } catch (error) {
          sendModelError(res, error);
        }
      })().catch((error: unknown) => {
        if (!res.headersSent)
          sendError(
            res,
            502,
            'ServiceUnavailableException',
            `The gateway could not reach upstream: ${(error as Error).message}`,
          );
        else res.end();
      });
    },
    { host, ...(options.port !== undefined && { port: options.port }) },
  );
  return { url: server.url, port: server.port, close: server.close };
}
