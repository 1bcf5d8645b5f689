/**
 * The offline Converse service: `POST /model/{modelId}/converse` and `/converse-stream` over HTTP/1.1 and h2c,
 * validating every request as Bedrock does and answering from scripted scenarios, so the unmodified AWS SDK
 * works against it with only an `endpoint` override.
 */
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { BedrockError, sendError, sendRouteError, validation, type ErrorType } from '../http/bedrock-errors.js';
import { parseRoute } from '../http/bedrock-route.js';
import { listenDual, type AnyRequest, type AnyResponse } from '../http/dual-protocol-server.js';
import { MAX_REQUEST_BYTES, readBody } from '../http/request-body.js';
import { eventFrame, exceptionFrame } from '../http/event-stream.js';
import { fixturesPath } from '../package-root.js';
import { baseId, traitsFor } from './model-traits.js';
import { loadReplay } from './replay.js';
import { loadScenarios, playScenario, type ModelTurn, type Scenario } from './scenarios.js';
import { validateRequest, type WireRequest } from './validate.js';

export type FaultKind =
  | 'throttle'
  | 'not-ready'
  | 'unavailable'
  | 'internal'
  | 'timeout'
  | 'not-found'
  | 'access-denied'
  | 'throttle-mid-stream'
  | 'stream-error';

const FAULT_KINDS: readonly FaultKind[] = [
  'throttle',
  'not-ready',
  'unavailable',
  'internal',
  'timeout',
  'not-found',
  'access-denied',
  'throttle-mid-stream',
  'stream-error',
];

export interface Fault {
  kind: FaultKind;
  message?: string;
}

export interface LoggedRequest {
  modelId: string;
  stream: boolean;
  body: WireRequest;
  /** The error answered, when the request was rejected. */
  error?: string;
}

export interface EmulatorOptions {
  host?: string;
  port?: number;
  /** Folder of scenario files (default: the package's fixtures/converse). */
  scenariosDir?: string;
  scenarios?: Scenario[];
  /** Answer requests without SigV4 or Bearer auth with Bedrock's auth errors. */
  requireAuth?: boolean;
  /** Delay between stream events, to make streaming observable. */
  eventDelayMs?: number;
  /** Keep the last N requests in `requests` (default 200). */
  logSize?: number;
  /** Answer from the recordings in this folder (`gateway --record`, `run --record`) instead of scenarios. */
  replay?: string;
  /** Keep no more than this many bytes of request bodies in `requests` (default 64 MB; the newest always stays). */
  logBytes?: number;
}

export interface Emulator {
  url: string;
  port: number;
  /** Faults to inject, consumed one per request in order. */
  faults: Fault[];
  requests: LoggedRequest[];
  close(): Promise<void>;
}

const FAULT_ERRORS: Record<Exclude<FaultKind, 'throttle-mid-stream' | 'stream-error'>, [ErrorType, string]> = {
  throttle: ['ThrottlingException', 'Too many requests, please wait before trying again.'],
  'not-ready': ['ModelNotReadyException', 'Model is not ready to serve inference requests. Try again later.'],
  unavailable: ['ServiceUnavailableException', 'Bedrock is unable to process your request.'],
  internal: [
    'InternalServerException',
    'The system encountered an unexpected error during processing. Try your request again.',
  ],
  timeout: ['ModelTimeoutException', 'Model has timed out in processing the request. Try your request again.'],
  'not-found': [
    'ResourceNotFoundException',
    'This model version has reached the end of its life. Please refer to the AWS documentation for more details.',
  ],
  'access-denied': ['AccessDeniedException', "You don't have access to the model with the specified model ID."],
};

/** A fault for this request: `x-emulator-fault: <kind>` wins over the programmatic queue. */
function faultFor(req: AnyRequest, queue: Fault[]): Fault | undefined {
  const header = req.headers['x-emulator-fault'];
  if (typeof header === 'string' && (FAULT_KINDS as readonly string[]).includes(header))
    return { kind: header as FaultKind };
  return queue.shift();
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

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
  return Array.isArray(body.system)
    ? body.system.map((s) => (s && typeof s === 'object' && 'text' in s ? String(s.text) : '')).join('\n')
    : '';
}

function toolNames(body: WireRequest): string[] {
  const tools =
    body.toolConfig && typeof body.toolConfig === 'object' && !Array.isArray(body.toolConfig)
      ? body.toolConfig['tools']
      : undefined;
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((t) =>
    t && typeof t === 'object' && !Array.isArray(t) && t['toolSpec'] && typeof t['toolSpec'] === 'object'
      ? [String((t['toolSpec'] as { name: unknown }).name)]
      : [],
  );
}

/** The events ConverseStream sends for one turn, in Bedrock's order (no contentBlockStart for text). */
function* streamEvents(turn: ModelTurn, usage: object): Generator<[string, object]> {
  yield ['messageStart', { role: 'assistant' }];
  for (const [index, block] of turn.content.entries()) {
    if (typeof block['text'] === 'string') {
      for (const piece of block['text'].match(/.{1,12}(\s|$)|\S+?(\s|$)/gs) ?? [block['text']]) {
        yield ['contentBlockDelta', { contentBlockIndex: index, delta: { text: piece } }];
      }
    } else {
      const use = block['toolUse'] as { toolUseId: string; name: string; input: unknown };
      yield [
        'contentBlockStart',
        { contentBlockIndex: index, start: { toolUse: { toolUseId: use.toolUseId, name: use.name } } },
      ];
      const json = JSON.stringify(use.input);
      for (let i = 0; i < json.length; i += 20) {
        yield ['contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input: json.slice(i, i + 20) } } }];
      }
    }
    yield ['contentBlockStop', { contentBlockIndex: index }];
  }
  yield ['messageStop', { stopReason: turn.stopReason }];
  yield ['metadata', { usage, metrics: { latencyMs: 5 } }];
}

/**
 * Prompt caching, estimated like the other token counts: the request up to its last `cachePoint` is written to
 * the cache the first time and read from it afterwards (per emulator instance).
 */
function cacheUsage(
  body: WireRequest,
  cache: Set<string>,
): { cacheReadInputTokens?: number; cacheWriteInputTokens?: number } {
  const text = JSON.stringify([body.toolConfig ?? null, body.system ?? null, body.messages ?? null]);
  const end = text.lastIndexOf('"cachePoint"');
  if (end < 0) return {};
  const prefix = createHash('sha256').update(text.slice(0, end)).digest('hex');
  const tokens = estimateTokens(text.slice(0, end));
  if (cache.has(prefix)) return { cacheReadInputTokens: tokens, cacheWriteInputTokens: 0 };
  cache.add(prefix);
  return { cacheReadInputTokens: 0, cacheWriteInputTokens: tokens };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const cache = new Set<string>();
  const replayer = options.replay === undefined ? undefined : loadReplay(options.replay);
  const scenarios = options.scenarios ?? loadScenarios(options.scenariosDir ?? fixturesPath('converse'));
  const faults: Fault[] = [];
  const requests: LoggedRequest[] = [];
  const logSize = options.logSize ?? 200;
  const logBytes = options.logBytes ?? 64 * 1024 * 1024;
  // Body sizes of the logged requests, oldest first, so the log is bounded in bytes as well as in entries.
  const sizes: number[] = [];
  let loggedBytes = 0;

  const handle = async (req: AnyRequest, res: AnyResponse): Promise<void> => {
    const parsed = parseRoute(req.method, req.url);
    if ('error' in parsed) return sendRouteError(res, parsed.error);
    const { modelId, operation } = parsed.route;
    const stream = operation === 'converse-stream';
    let size = 0;
    const fail = (error: BedrockError, body: WireRequest = {}): void => {
      log({ modelId, stream, body, error: `${error.type}: ${error.message}` }, size);
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
    let body: WireRequest;
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      // `null` or a non-object is a request without members: Coral then reports `messages` as missing.
      body = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as WireRequest) : {};
    } catch {
      return fail(validation('Unable to parse the request body as JSON.'));
    }
    if (replayer) {
      const answer = replayer.answer(stream ? 'converse-stream' : 'converse', modelId, body as Record<string, unknown>);
      if (answer instanceof BedrockError) return fail(answer, body);
      log({ modelId, stream, body }, size);
      res.writeHead(answer.status, { 'x-amzn-requestid': randomUUID(), ...answer.headers });
      res.end(answer.body);
      return;
    }
    const traits = traitsFor(modelId);
    if (!traits) return fail(validation('The provided model identifier is invalid.'), body);
    const fault = faultFor(req, faults);
    const latency = Number(req.headers['x-emulator-latency-ms'] ?? 0);
    if (latency > 0) await delay(Math.min(latency, 60_000));
    if (fault && fault.kind !== 'throttle-mid-stream' && fault.kind !== 'stream-error') {
      const [type, message] = FAULT_ERRORS[fault.kind];
      return fail(new BedrockError(type, fault.message ?? message), body);
    }
    const invalid = validateRequest(body, traits, stream);
    if (invalid) return fail(invalid, body);
    log({ modelId, stream, body }, size);

    const messages = (body.messages as { [key: string]: never }[]) ?? [];
    const nativeTools = toolNames(body);
    const turn = playScenario(scenarios, {
      modelId,
      messages,
      system: systemText(body),
      nativeTools,
      textToolCalls: traits.textToolCalls || nativeTools.length === 0,
      mistralLarge: /^mistral\.(mistral|pixtral)-large/.test(baseId(modelId)),
    });
    const inputTokens = estimateTokens(raw.toString('utf8'));
    const outputTokens = estimateTokens(JSON.stringify(turn.content));
    const usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, ...cacheUsage(body, cache) };
    const requestId = randomUUID();

    if (!stream) {
      const payload = JSON.stringify({
        output: { message: { role: 'assistant', content: turn.content } },
        stopReason: turn.stopReason,
        usage,
        metrics: { latencyMs: 5 },
      });
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
        'x-amzn-requestid': requestId,
      });
      res.end(payload);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': requestId });
    let sentText = false;
    for (const [event, payload] of streamEvents(turn, usage)) {
      if (fault && sentText) {
        // Only an exception frame can report a failure once the 200 is committed.
        const [type, message] =
          fault.kind === 'throttle-mid-stream'
            ? ['throttlingException', 'Too many tokens, please wait before trying again.']
            : ['modelStreamErrorException', 'The model stream was interrupted.'];
        res.end(exceptionFrame(type, fault.message ?? message));
        return;
      }
      (res as NodeJS.WritableStream).write(eventFrame(event, payload));
      if (event === 'contentBlockDelta') sentText = true;
      if (options.eventDelayMs) await delay(options.eventDelayMs);
    }
    res.end();
  };

  const log = (entry: LoggedRequest, bytes: number): void => {
    requests.push(entry);
    sizes.push(bytes);
    loggedBytes += bytes;
    while (requests.length > 1 && (requests.length > logSize || loggedBytes > logBytes)) {
      requests.shift();
      loggedBytes -= sizes.shift() as number;
    }
  };

  const server = await listenDual(
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendError(res, new BedrockError('InternalServerException', (error as Error).message));
        else res.end();
      });
    },
    { ...(options.host && { host: options.host }), ...(options.port !== undefined && { port: options.port }) },
  );
  return { url: server.url, port: server.port, faults, requests, close: server.close };
}
