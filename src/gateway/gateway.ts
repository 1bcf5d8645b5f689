/**
 * Gateway mode: a Bedrock-compatible endpoint (`/model/{modelId}/converse`, `/converse-stream`, `/invoke` and
 * `/invoke-with-response-stream`, HTTP/1.1 and h2c) in front of Bedrock. Clients keep their Bedrock SDK and point
 * `endpoint` here; the gateway holds the real credentials, adds the configured MCP servers' tools to each request
 * (InvokeModel: Claude's Messages body, run on Converse) and runs them itself. What a request may
 * and may not do is in docs/security.md, "Gateway".
 */
import { randomUUID } from 'node:crypto';
import { streamEventsOf } from '../../bridge/entries/converse.js';
import {
  BEDROCK_PRICES,
  defaultNeedsApproval,
  estimateCost,
  ModelCallError,
  type ApprovalDecision,
  type ApprovalRequest,
  type ConverseRequest,
  type ConverseResponse,
  type JsonObject,
  type LoopLimits,
  type PriceTable,
  type ToolDescriptor,
  type Toolset,
} from '../../bridge/index.js';
import { BedrockError, sendError, sendRouteError } from '../http/bedrock-errors.js';
import { isInvoke, parseRoute } from '../http/bedrock-route.js';
import { listenDual, type AnyRequest, type AnyResponse } from '../http/dual-protocol-server.js';
import { eventFrame } from '../http/event-stream.js';
import { MAX_REQUEST_BYTES, readBody } from '../http/request-body.js';
import { foreignOrigin, isJsonRequest, isLoopbackHost, mediaTypeOf } from '../http/request-guard.js';
import { fromWireJson, toWireJson } from '../http/wire-json.js';
import { ClientAuth, type ClientKeys } from './client-auth.js';
import { converseRequestOf, invokeResponseBody, invokeStreamFrames } from './invoke-messages.js';
import { relay } from './relay.js';
import { answerWithTools } from './tool-injection.js';
import type { Upstream } from './upstream.js';
import { WireModelClient } from './wire-model-client.js';

export interface GatewayOptions {
  host?: string;
  port?: number;
  upstream: Upstream;
  /** The MCP tools to add; without any, requests are relayed unchanged. */
  toolset?: Toolset;
  /** Who may call; without keys, anyone who can reach it, so it must listen on loopback. */
  keys?: ClientKeys;
  /** Host names clients may reach the gateway by besides loopback ones (checked against `Host` and `Origin`). */
  allowedHosts?: readonly string[];
  /** The largest request body accepted (default: Bedrock's own limit, 25,000,000 bytes); larger ones get 413. */
  maxRequestBytes?: number;
  /** Report the gateway's own tool calls in an `x-mcp-bedrock-tool-calls` response header. */
  exposeToolTraffic?: boolean;
  /** Which MCP tools need approval (default: those not annotated read-only or non-destructive). */
  needsApproval?: (descriptor: ToolDescriptor) => boolean;
  /**
   * Decides calls that need approval. The gateway has nobody to ask, so by default each is refused with an error
   * result the client's model sees; the CLI lets a server's `"approval": "never"` entry allow its tools.
   */
  approve?: (request: ApprovalRequest) => Promise<ApprovalDecision>;
  /** The tool loop's limits per client request (default: 10 model turns, the loop's other defaults). */
  limits?: Partial<LoopLimits>;
  /** Prices for the `x-mcp-bedrock-cost` header (default: the built-in table, docs/pricing.md). */
  prices?: PriceTable;
}

/**
 * What the whole tool loop behind one answer used and its estimated cost (the body's `usage` has the same
 * sums): `x-mcp-bedrock-usage` with input, output, cache-read and cache-write tokens, `x-mcp-bedrock-cost` in USD
 * for a model the price table knows.
 */
function usageHeaders(modelId: string, usage: ConverseResponse['usage'], prices: PriceTable): Record<string, string> {
  const tokens = {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadInputTokens: usage.cacheReadInputTokens ?? 0,
    cacheWriteInputTokens: usage.cacheWriteInputTokens ?? 0,
    totalTokens: usage.totalTokens,
  };
  const cost = estimateCost(modelId, tokens, prices);
  return {
    'x-mcp-bedrock-usage': JSON.stringify(tokens),
    ...(cost && { 'x-mcp-bedrock-cost': JSON.stringify(cost) }),
  };
}

export interface Gateway {
  url: string;
  port: number;
  /** Closes at once (requests in flight are cut). */
  close(): Promise<void>;
  /**
   * Drains (SIGTERM, docs/deploy.md): stops accepting, waits up to `timeoutMs` (default 10 s) for requests in
   * flight, their tool loops included, then closes.
   */
  shutdown(timeoutMs?: number): Promise<void>;
}

/**
 * The default approval: refused by the gateway's policy (nobody was asked), with what lets an operator allow it,
 * for the client's model to relay.
 */
export async function refuseUnapproved(request: ApprovalRequest): Promise<ApprovalDecision> {
  const { server, tool } = request.descriptor;
  return {
    approved: false,
    message:
      `This gateway's policy refused the call to ${request.name}; no user was asked and it did not run. ` +
      `${server}/${tool} can change data, and the gateway runs such tools only when its operator allows them ` +
      `with "approval": "never" on the "${server}" server in the gateway's MCP config. ` +
      'Tell the user it was not done; do not retry it.',
  };
}

const denied = (message: string): BedrockError => new BedrockError('AccessDeniedException', message);
const CREDENTIALS_REFUSED = 'This gateway does not accept these credentials.';

/**
 * An InvokeModel body as the SDKs send it without `contentType`: the JS SDK declares `application/octet-stream`
 * (a page cannot send that without a preflight), boto3 declares nothing, which a page's request (a Blob) can do
 * only with an `Origin` header (docs/security.md, "Gateway").
 */
function sdkInvokeBody(req: AnyRequest): boolean {
  const type = mediaTypeOf(req);
  return type === 'application/octet-stream' || (type === undefined && !('origin' in req.headers));
}

/** Upstream failures reach the client as the same Bedrock exception, status and message. */
function modelError(error: unknown): BedrockError {
  if (!(error instanceof ModelCallError)) return new BedrockError('InternalServerException', (error as Error).message);
  const cause = (error.cause as { message?: string } | undefined)?.message ?? error.message;
  const { statusCode, serviceError } = error.context;
  // No answer from upstream at all (refused, reset, DNS): what the relay says in the same case.
  if (statusCode === undefined) return unreachable(cause);
  return new BedrockError(serviceError ?? 'InternalServerException', cause, statusCode);
}

function unreachable(cause: string): BedrockError {
  return new BedrockError('ServiceUnavailableException', `The gateway could not reach upstream: ${cause}`, 502);
}

/** Starts a gateway; refuses to listen beyond loopback without client keys. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1';
  const auth = new ClientAuth(options.keys);
  if (!auth.configured && !isLoopbackHost(host)) {
    throw new Error(
      `the gateway listens on ${host}, beyond loopback: give it client keys (--keys ` +
        'FILE) so only your clients can spend your Bedrock credentials',
    );
  }
  const hostPolicy = { bindHost: host, ...(options.allowedHosts && { allowedHosts: options.allowedHosts }) };
  const limit = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const models = new WireModelClient(options.upstream);
  const loopOptions = {
    needsApproval: options.needsApproval ?? defaultNeedsApproval,
    approve: options.approve ?? refuseUnapproved,
    limits: { maxTurns: 10, ...options.limits },
  };
  const inject = (): boolean => options.toolset !== undefined && options.toolset.list().length > 0;

  const handle = async (req: AnyRequest, res: AnyResponse): Promise<void> => {
    // For load balancers (docs/deploy.md): the gateway keeps no state, so a process that answers is ready.
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"status":"ok"}');
    }
    // Checked before anything else: a web page must learn nothing from, and cause nothing through, the gateway.
    const foreign = foreignOrigin(req, hostPolicy);
    if (foreign) return sendError(res, denied(`Forbidden: ${foreign}.`));
    const parsed = parseRoute(req.method, req.url);
    if ('error' in parsed) return sendRouteError(res, parsed.error);
    const { route } = parsed;
    const credentials = auth.check(req);
    if (!credentials.ok) return sendError(res, denied(CREDENTIALS_REFUSED));
    if (!isJsonRequest(req) && !(isInvoke(route.operation) && sdkInvokeBody(req))) {
      const message = 'The gateway accepts only requests with Content-Type: application/json.';
      return sendError(res, new BedrockError('ValidationException', message, 415));
    }
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (error) {
      // The rest of the body was not read: this connection cannot carry another request.
      if (error instanceof BedrockError) return sendError(res, error, { connection: 'close' });
      throw error;
    }
    if (credentials.verify && !(await credentials.verify(body))) return sendError(res, denied(CREDENTIALS_REFUSED));
    if (!inject()) return relay(options.upstream, route, body, res);
    const invoke = isInvoke(route.operation);

    let parsedBody: { messages?: unknown } | null = null;
    try {
      parsedBody = fromWireJson<{ messages?: unknown } | null>(body.toString('utf8'));
    } catch {
      // Not JSON: relayed below, for Bedrock's own error.
    }
    // Not a request the loop can run (not JSON, `null`, no messages list): upstream answers with its own error.
    if (!Array.isArray(parsedBody?.messages)) return relay(options.upstream, route, body, res);
    const request = invoke
      ? converseRequestOf(parsedBody as JsonObject, route.modelId)
      : ({ ...parsedBody, modelId: route.modelId } as ConverseRequest);
    if (request instanceof BedrockError) return sendError(res, request);
    // A client that goes away stops the loop: no tool runs for an answer nobody will read.
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort(new Error('the client closed the connection'));
    });
    try {
      const { response, calls } = await answerWithTools(request, options.toolset as Toolset, models, {
        ...loopOptions,
        signal: gone.signal,
      });
      if (gone.signal.aborted) return;
      const headers: Record<string, string> = { 'x-amzn-requestid': randomUUID() };
      if (options.exposeToolTraffic) headers['x-mcp-bedrock-tool-calls'] = JSON.stringify(calls);
      Object.assign(headers, usageHeaders(route.modelId, response.usage, options.prices ?? BEDROCK_PRICES));
      if (route.operation === 'converse' || route.operation === 'invoke') {
        const json = invoke ? invokeResponseBody(response, route.modelId) : toWireJson(response);
        res.writeHead(200, {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(json),
        });
        return void res.end(json);
      }
      res.writeHead(200, { ...headers, 'content-type': 'application/vnd.amazon.eventstream' });
      if (invoke) {
        for (const frame of invokeStreamFrames(response, route.modelId)) (res as NodeJS.WritableStream).write(frame);
        return void res.end();
      }
      for (const event of streamEventsOf(response)) {
        const [name, payload] = Object.entries(event)[0] as [string, object];
        (res as NodeJS.WritableStream).write(eventFrame(name, payload));
      }
      res.end();
    } catch (error) {
      if (!gone.signal.aborted) sendError(res, modelError(error));
    }
  };

  const server = await listenDual(
    (req, res) =>
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendError(res, unreachable((error as Error).message));
        else res.end();
      }),
    { host, ...(options.port !== undefined && { port: options.port }) },
  );
  return { url: server.url, port: server.port, close: server.close, shutdown: server.shutdown };
}
