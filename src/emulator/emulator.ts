/**
 * The offline Bedrock runtime (docs/emulator.md): `POST /model/{modelId}/converse` and `/converse-stream`, and
 * InvokeModel's `/invoke` and `/invoke-with-response-stream` for Anthropic Claude's Messages body, over HTTP/1.1 and
 * h2c, validating every request as Bedrock does (docs/bedrock-evidence.md) and answering from scripted scenarios or
 * from recordings of real Bedrock, so the unmodified AWS SDK works against it with only an `endpoint` override. `GET
 * /__emulator/requests` lists what it was asked.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { BedrockError, sendError, sendRouteError, validation } from '../http/bedrock-errors.js';
import { isInvoke, isStreaming, parseRoute } from '../http/bedrock-route.js';
import { listenDual, type AnyRequest, type AnyResponse } from '../http/dual-protocol-server.js';
import { eventFrame, exceptionFrame } from '../http/event-stream.js';
import { MAX_REQUEST_BYTES, readBody } from '../http/request-body.js';
import { foreignOrigin } from '../http/request-guard.js';
import { fixturesPath } from '../package-root.js';
import { controlPlane } from './control-plane.js';
import { faultError, faultFor, midStreamException, type Fault } from './faults.js';
import { toConverseParts } from '../http/anthropic-messages.js';
import { invokeBodyError } from './invoke-body.js';
import { invokeBody, invokeStreamFrames } from './invoke-wire.js';
import { traitsFor } from './model-traits.js';
import { OFF_SCRIPT_HEADER, OFF_SCRIPT_STOP_REASON } from './off-script.js';
import { loadReplay } from './replay.js';
import { RequestLog, type LoggedRequest } from './request-log.js';
import { loadScenarios, type ScenarioDefinition } from './scenario-format.js';
import { playScenario } from './scenario-player.js';
import { converseBody, streamEvents, usageOf } from './turn-wire.js';
import { validateRequest, type WireRequest } from './validate.js';
import { arr, isObj, type Obj } from './wire-request.js';

export type { Fault, FaultKind } from './faults.js';
export type { LoggedRequest } from './request-log.js';

/** How to start an emulator. */
export interface EmulatorOptions {
  host?: string;
  port?: number;
  /**
   * What the model plays: a folder of scenario files, one file, or scenario objects, in order (default: the
   * package's fixtures/converse). The format is in docs/emulator.md.
   */
  scenarios?: string | readonly (string | ScenarioDefinition)[];
  /** Answer from the recordings in this folder (`gateway --record`, `run --record`) instead of scenarios. */
  replay?: string;
  /** Answer requests without SigV4 or Bearer auth with Bedrock's auth errors. */
  requireAuth?: boolean;
  /** Delay between stream events, to make streaming observable. */
  eventDelayMs?: number;
  /** Keep the last N requests in `requests` (default 200). */
  logSize?: number;
  /** Keep no more than this many bytes of request bodies in `requests` (default 64 MB; the newest always stays). */
  logBytes?: number;
  /** Called once per request as it is answered (`emulator -v` prints `summaryLine` of it). */
  onRequest?: (entry: LoggedRequest) => void;
}

/** A running emulator. */
export interface Emulator {
  url: string;
  port: number;
  /** Faults to inject, consumed one per request in order. */
  faults: Fault[];
  /** What it was asked, oldest first (bounded by `logSize` and `logBytes`). */
  requests: LoggedRequest[];
  close(): Promise<void>;
}

const REQUESTS_PATH = '/__emulator/requests';

function checkAuth(req: AnyRequest): BedrockError | undefined {
  const auth = req.headers['authorization'];
  if (typeof auth !== 'string' || auth === '')
    return new BedrockError('AccessDeniedException', 'Missing Authentication Token');
  if (auth.startsWith('Bearer ')) {
    return /^Bearer ABSK[A-Za-z0-9+/=]{8,}$/.test(auth)
      ? undefined
      : new BedrockError('AccessDeniedException', 'Invalid API Key format: Must start with pre-defined prefix');
  }
  if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/bedrock\/aws4_request/.test(auth)) {
    return new BedrockError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  return undefined;
}

function systemText(body: WireRequest): string {
  return arr(body.system)
    .map((s) => (isObj(s) && typeof s['text'] === 'string' ? s['text'] : ''))
    .join('\n');
}

function toolNames(body: WireRequest): string[] {
  const tools = isObj(body.toolConfig) ? arr(body.toolConfig['tools']) : [];
  return tools.flatMap((t) => (isObj(t) && isObj(t['toolSpec']) ? [String(t['toolSpec']['name'])] : []));
}

/** The request log as JSON, for this machine only (a web page's request is refused by its Host or Origin). */
function sendRequestLog(req: AnyRequest, res: AnyResponse, host: string, log: LoggedRequest[]): void {
  const refused = foreignOrigin(req, { bindHost: host });
  const body = JSON.stringify(refused ? { message: `Refused: ${refused}.` } : { requests: log });
  res.writeHead(refused ? 403 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Starts an emulator; it listens until `close()`. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const cache = new Set<string>();
  const replayer = options.replay === undefined ? undefined : loadReplay(options.replay);
  const scenarios = loadScenarios(options.scenarios ?? fixturesPath('converse'));
  const faults: Fault[] = [];
  const log = new RequestLog(options.logSize ?? 200, options.logBytes ?? 64 * 1024 * 1024, options.onRequest);

  const handle = async (req: AnyRequest, res: AnyResponse): Promise<void> => {
    const started = performance.now();
    if (req.method === 'GET' && req.url?.split('?')[0] === REQUESTS_PATH) {
      return sendRequestLog(req, res, host, log.entries);
    }
    if (controlPlane(req, res)) return;
    const parsed = parseRoute(req.method, req.url);
    if ('error' in parsed) return sendRouteError(res, parsed.error);
    const { modelId, operation } = parsed.route;
    const stream = isStreaming(operation);
    const invoke = isInvoke(operation);
    let size = 0;
    let body: WireRequest = {};
    // What the scenario player reads: the body, or for InvokeModel the body read as a Converse request.
    let request: WireRequest = body;
    const record = (status: number, extra: Partial<LoggedRequest>): void => {
      const tools = toolNames(request);
      log.add(
        {
          modelId,
          stream,
          ...(invoke && { operation }),
          body,
          status,
          ...(tools.length > 0 && { tools }),
          latencyMs: performance.now() - started,
          ...extra,
        },
        size,
      );
    };
    const fail = (error: BedrockError): void => {
      record(error.status, { error: `${error.type}: ${error.message}` });
      // A body that was not read to its end would be taken for the next request on this connection.
      sendError(res, error, error.status === 413 ? { connection: 'close' } : {});
    };
    let raw: Buffer;
    try {
      raw = await readBody(req, MAX_REQUEST_BYTES);
    } catch (error) {
      if (error instanceof BedrockError) return fail(error);
      throw error;
    }
    size = raw.length;
    if (options.requireAuth) {
      const denied = checkAuth(req);
      if (denied) return fail(denied);
    }
    try {
      const json: unknown = JSON.parse(raw.toString('utf8'));
      // `null` or a non-object is a request without members: Coral then reports `messages` as missing.
      body = isObj(json as Obj) ? (json as WireRequest) : {};
      request = body;
    } catch {
      return fail(validation('Unable to parse the request body as JSON.'));
    }
    if (replayer) {
      const answer = replayer.answer(operation, modelId, body as Record<string, unknown>);
      if (answer instanceof BedrockError) return fail(answer);
      record(answer.status, { answeredBy: answer.file });
      res.writeHead(answer.status, { 'x-amzn-requestid': randomUUID(), ...answer.headers });
      res.end(answer.body);
      return;
    }
    const traits = traitsFor(modelId);
    if (!traits) return fail(validation('The provided model identifier is invalid.'));
    const fault = faultFor(req, faults);
    const latency = Number(req.headers['x-emulator-latency-ms'] ?? 0);
    if (latency > 0) await delay(Math.min(latency, 60_000));
    const injected = faultError(fault);
    if (injected) return fail(injected);
    const invalid = invoke
      ? invokeBodyError(body as Obj, modelId, traits)
      : validateRequest(body, traits, stream, modelId);
    if (invalid) return fail(invalid);
    if (invoke) request = toConverseParts(body as Obj, { strict: false });

    const nativeTools = toolNames(request);
    const turn = playScenario(scenarios, {
      modelId,
      messages: arr(request.messages).filter(isObj),
      system: systemText(request),
      nativeTools,
      textToolCalls: traits.textToolCalls || nativeTools.length === 0,
      separateToolTurns: traits.separateToolTurns,
      textCallFault: fault?.kind === 'text-tool-call',
    });
    const usage = usageOf(raw.toString('utf8'), modelId, request, turn, cache);
    const offScript = turn.stopReason === OFF_SCRIPT_STOP_REASON;
    const headers: Record<string, string> = { 'x-amzn-requestid': randomUUID() };
    if (offScript) headers[OFF_SCRIPT_HEADER] = 'off-script';
    record(200, { answeredBy: offScript ? 'off-script' : turn.scenario });

    if (!stream) {
      const payload = invoke ? invokeBody(turn, usage, modelId) : converseBody(turn, usage);
      res.writeHead(200, {
        ...headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
      });
      res.end(payload);
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': 'application/vnd.amazon.eventstream' });
    const exception = midStreamException(fault);
    let sentText = false;
    const events = invoke ? invokeStreamFrames(turn, usage, modelId) : streamEvents(turn, usage);
    for (const [event, payload] of events) {
      // Only an exception frame can report a failure once the 200 is committed.
      if (exception && sentText) return void res.end(exceptionFrame(...exception));
      (res as NodeJS.WritableStream).write(eventFrame(event, payload));
      if (event === 'contentBlockDelta' || event === 'chunk') sentText = true;
      if (options.eventDelayMs) await delay(options.eventDelayMs);
    }
    res.end();
  };

  const server = await listenDual(
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendError(res, new BedrockError('InternalServerException', (error as Error).message));
        else res.end();
      });
    },
    { host, ...(options.port !== undefined && { port: options.port }) },
  );
  return { url: server.url, port: server.port, faults, requests: log.entries, close: server.close };
}
