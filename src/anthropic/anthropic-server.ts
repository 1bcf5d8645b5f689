/**
 * `mcp-bedrock anthropic`: the Anthropic Messages API in front of Bedrock (docs/anthropic.md). Clients keep the
 * Anthropic SDK and set `baseURL`; requests are translated to Converse and answered by the bridge's tool loop,
 * with MCP tools configured here and programmatic tool calling in the Python sandbox. The gateway's checks apply:
 * `Host`/`Origin` (docs/security.md, "Gateway"), client keys off loopback (sent as `x-api-key`), request size.
 */
import { createHash } from 'node:crypto';
import {
  defaultNeedsApproval,
  type ApprovalDecision,
  type ApprovalRequest,
  type LoopLimits,
  type ModelClient,
  type ToolDescriptor,
  type Toolset,
} from '../../bridge/index.js';
import { ClientAuth, type ClientKeys } from '../gateway/client-auth.js';
import { refuseUnapproved } from '../gateway/gateway.js';
import { BedrockError } from '../http/bedrock-errors.js';
import { listenDual, type AnyRequest, type AnyResponse } from '../http/dual-protocol-server.js';
import { MAX_REQUEST_BYTES, readBody } from '../http/request-body.js';
import { foreignOrigin, isJsonRequest, isLoopbackHost } from '../http/request-guard.js';
import { toWireJson } from '../http/wire-json.js';
import { SandboxPool } from '../sandbox/index.js';
import { AnthropicError, errorBody, fromModelError, sendAnthropicError } from './anthropic-errors.js';
import {
  anthropicId,
  NULL_USAGE_FIELDS,
  responseBlocks,
  stopReasonOf,
  type AnthropicMessageResponse,
  type ResponseBlock,
} from './from-converse.js';
import { CountTokensRequest, describeIssues, MessagesRequest, type AnthropicMessage } from './messages-schema.js';
import { ModelNames } from './model-names.js';
import { ProgramRun, type ClientAnswer, type RunStep } from './program-run.js';
import { errorEvent, messageEvents } from './sse.js';
import { toConverse, TranslationError } from './to-converse.js';

export interface AnthropicServerOptions {
  host?: string;
  port?: number;
  /** Who answers the Converse calls (the gateway's upstream client, a BedrockModelClient, a scripted client). */
  client: ModelClient;
  /** Who may call; without keys, anyone who can reach it, so it must listen on loopback. */
  keys?: ClientKeys;
  /** Host names clients may reach it by besides loopback ones (checked against `Host` and `Origin`). */
  allowedHosts?: readonly string[];
  /** Model names to add or change over the default table (name → Bedrock model id). */
  models?: Readonly<Record<string, string>>;
  /** MCP tools configured on the server side: offered to the model, and to programs. */
  toolset?: Toolset;
  /** Which MCP tools need approval (default: those not annotated read-only or non-destructive). */
  needsApproval?: (descriptor: ToolDescriptor) => boolean;
  /** Decides calls that need approval; by default each is refused with a result the model reads. */
  approve?: (request: ApprovalRequest) => Promise<ApprovalDecision>;
  /** The tool loop's limits per request (default: 10 model turns). */
  limits?: Partial<LoopLimits>;
  /** Programmatic tool calling in the sandbox (default on); `allowUnisolated` runs it without network isolation. */
  codeExecution?: false | { allowUnisolated?: boolean; onWarning?: (message: string) => void };
  /** How long a suspended program waits for the client's tool results (default 270 s, as Anthropic's containers). */
  containerIdleMs?: number;
  /** The largest request body accepted (default 25,000,000 bytes). */
  maxRequestBytes?: number;
}

/** A running endpoint. */
export interface AnthropicServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const IDLE_MS = 270_000;
/** The loop's own reasons to stop (no model's): the answer says so in a text block. */
const LOOP_GUARDS: ReadonlySet<string> = new Set(['max_turns', 'token_budget', 'timeout', 'aborted']);

const invalid = (message: string): AnthropicError => new AnthropicError('invalid_request_error', message);

/** The tool results of the last user message, by tool_use_id; undefined when it holds anything else too. */
function lastToolResults(messages: readonly AnthropicMessage[]): Map<string, ClientAnswer> | undefined {
  const last = messages[messages.length - 1];
  if (last?.role !== 'user' || typeof last.content === 'string') return undefined;
  const answers = new Map<string, ClientAnswer>();
  for (const block of last.content) {
    if (block.type !== 'tool_result') return undefined;
    const content = block.content ?? '';
    const text =
      typeof content === 'string' ? content : content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
    answers.set(block.tool_use_id, { isError: block.is_error === true, text });
  }
  return answers;
}

/** `claude-sonnet-4-5-20250929` → `Claude Sonnet 4.5`; the date part → its ISO time. */
function modelInfo(id: string): { type: 'model'; id: string; display_name: string; created_at: string } {
  const date = /-(\d{4})(\d{2})(\d{2})$/.exec(id);
  const base = date ? id.slice(0, -9) : id;
  const words = base.split('-').map((w) => (/^\d+$/.test(w) ? w : w.charAt(0).toUpperCase() + w.slice(1)));
  const display = words.join(' ').replace(/(\d) (\d)/g, '$1.$2');
  const created = date ? `${date[1]}-${date[2]}-${date[3]}T00:00:00Z` : '1970-01-01T00:00:00Z';
  return { type: 'model', id, display_name: display, created_at: created };
}

/** Starts the endpoint; refuses to listen beyond loopback without client keys. */
export async function startAnthropicServer(options: AnthropicServerOptions): Promise<AnthropicServer> {
  const host = options.host ?? '127.0.0.1';
  const auth = new ClientAuth(options.keys);
  if (!auth.configured && !isLoopbackHost(host)) {
    throw new Error(
      `the endpoint listens on ${host}, beyond loopback: give it client keys (--keys ` +
        `FILE) so only your clients can spend your Bedrock credentials`,
    );
  }
  const hostPolicy = { bindHost: host, ...(options.allowedHosts && { allowedHosts: options.allowedHosts }) };
  const limit = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const names = new ModelNames(options.models);
  const idleMs = options.containerIdleMs ?? IDLE_MS;
  const code = options.codeExecution;
  // A suspended program's wall clock runs while the client answers: allow a few idle periods. Without Pyodide
  // or network isolation the endpoint still serves everything else, and says why code execution is refused.
  const programMs = 4 * idleMs + 60_000;
  let pool: SandboxPool | undefined;
  let noCode = 'code execution is turned off on this endpoint';
  if (code !== false) {
    try {
      pool = new SandboxPool({
        limits: { wallClockMs: programMs, toolTimeoutMs: idleMs },
        ...(code?.allowUnisolated !== undefined && { allowUnisolated: code.allowUnisolated }),
        ...(code?.onWarning && { onWarning: code.onWarning }),
      });
    } catch (error) {
      noCode = `code execution is unavailable on this endpoint: ${(error as Error).message}`;
      code?.onWarning?.(noCode);
    }
  }
  const runs = new Map<string, { run: ProgramRun; timer: NodeJS.Timeout }>();
  const loopOptions = {
    needsApproval: options.needsApproval ?? defaultNeedsApproval,
    approve: options.approve ?? refuseUnapproved,
    // A program waiting for the client is one long execute_code call (and its child may still be starting).
    limits: { maxTurns: 10, toolTimeoutMs: programMs + 60_000, ...options.limits },
  };

  const message = (
    run: ProgramRun,
    step: Exclude<RunStep, { kind: 'failed' }>,
    model: string,
  ): AnthropicMessageResponse => {
    const { turns, usage } = run.take();
    const context = {
      clientTools: run.clientTools,
      outcomes: run.outcomes,
      ...(run.codeExecution && { codeExecution: run.codeExecution }),
    };
    const content: ResponseBlock[] = responseBlocks(turns, context);
    let stop: string;
    if (step.kind === 'calls') {
      const type = run.codeExecution ?? 'code_execution_20250825';
      for (const call of step.calls)
        content.push({
          type: 'tool_use',
          id: call.id,
          name: call.name,
          input: call.input,
          caller: { type, tool_id: call.toolId },
        });
      stop = 'tool_use';
    } else {
      stop = step.result.pendingToolUses ? 'tool_use' : stopReasonOf(step.result.stopReason);
      if (LOOP_GUARDS.has(step.result.stopReason))
        content.push({
          type: 'text',
          text: `(The endpoint stopped its tool use here: ${step.result.stopReason}.)`,
          citations: null,
        });
    }
    const nulls = Object.fromEntries(NULL_USAGE_FIELDS.map((f) => [f, null])) as Record<
      (typeof NULL_USAGE_FIELDS)[number],
      null
    >;
    return {
      id: anthropicId('msg'),
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: stop,
      stop_sequence: null,
      stop_details: null,
      container: run.codeExecution
        ? { id: run.id, expires_at: new Date(Date.now() + idleMs).toISOString(), skills: null }
        : null,
      context_management: null,
      diagnostics: null,
      usage: { ...usage, ...nulls, service_tier: 'standard' },
    };
  };

  const forget = (id: string): void => {
    const entry = runs.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    runs.delete(id);
  };
  const keep = (run: ProgramRun): void => {
    forget(run.id);
    const timer = setTimeout(() => {
      runs.delete(run.id);
      run.close();
    }, idleMs);
    timer.unref();
    runs.set(run.id, { run, timer });
  };

  const messages = async (body: MessagesRequest, owner: string): Promise<AnthropicMessageResponse> => {
    const modelId = names.resolve(body.model);
    if (!modelId) throw new AnthropicError('not_found_error', `model: ${body.model}`);
    const containerId = typeof body.container === 'string' ? body.container : (body.container?.id ?? undefined);
    const live = containerId === undefined ? undefined : runs.get(containerId)?.run;
    const answers = lastToolResults(body.messages);
    let run: ProgramRun;
    if (live && live.owner === owner && live.awaiting.length > 0) {
      if (!answers)
        throw invalid(
          `container ${live.id}: its program waits for tool results, so the last ` +
            `user message may hold only tool_result blocks`,
        );
      const problem = live.answer(answers);
      if (problem) throw invalid(problem);
      run = live;
    } else {
      if (containerId !== undefined && answersProgram(body.messages))
        throw invalid(`container ${containerId}: no program waits in it (it finished or expired, or is not yours)`);
      let parts: ReturnType<typeof toConverse>;
      try {
        parts = toConverse(body);
      } catch (error) {
        if (error instanceof TranslationError) throw invalid(error.message);
        throw error;
      }
      if (parts.tools.codeExecution && !pool) throw invalid(`tools: ${noCode}`);
      run = new ProgramRun({
        client: options.client,
        modelId,
        parts,
        ...(options.toolset && { mcpTools: options.toolset }),
        ...(pool && { pool }),
        owner,
        ...loopOptions,
      });
    }
    const step = await run.next();
    if (step.kind === 'failed') {
      forget(run.id);
      throw fromModelError(step.error);
    }
    if (step.kind === 'calls') keep(run);
    else forget(run.id);
    return message(run, step, body.model);
  };

  const handle = async (req: AnyRequest, res: AnyResponse, requestId: string): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"status":"ok"}');
    }
    const foreign = foreignOrigin(req, hostPolicy);
    if (foreign) throw new AnthropicError('permission_error', `Forbidden: ${foreign}.`);
    const route =
      req.method === 'POST' && path === '/v1/messages'
        ? 'messages'
        : req.method === 'POST' && path === '/v1/messages/count_tokens'
          ? 'count'
          : req.method === 'GET' && path === '/v1/models'
            ? 'models'
            : req.method === 'GET' && path.startsWith('/v1/models/')
              ? 'model'
              : undefined;
    if (!route) throw new AnthropicError('not_found_error', `Not found: ${req.method} ${path}`);
    const header = req.headers['x-api-key'];
    const bearer = req.headers['authorization'];
    const key =
      typeof header === 'string'
        ? header
        : typeof bearer === 'string' && bearer.startsWith('Bearer ')
          ? bearer.slice(7).trim()
          : '';
    if (auth.configured && (key === '' || !auth.hasApiKey(key)))
      throw new AnthropicError('authentication_error', 'invalid x-api-key');
    if (typeof req.headers['anthropic-version'] !== 'string') throw invalid('anthropic-version: header is required');
    const owner = createHash('sha256').update(key).digest('hex');
    if (route === 'models') {
      const data = names.names().map(modelInfo);
      return sendJson(res, requestId, {
        data,
        has_more: false,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
      });
    }
    if (route === 'model') {
      const id = decodeURIComponent(path.slice('/v1/models/'.length));
      if (!names.resolve(id)) throw new AnthropicError('not_found_error', `model: ${id}`);
      return sendJson(res, requestId, modelInfo(id));
    }
    if (!isJsonRequest(req)) throw invalid('Content-Type: expected application/json');
    let raw: Buffer;
    try {
      raw = await readBody(req, limit);
    } catch (error) {
      if (error instanceof BedrockError) {
        sendAnthropicError(res, new AnthropicError('request_too_large', error.message), requestId);
        return;
      }
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw invalid(`There was an error parsing the body: ${(error as Error).message}`);
    }
    if (route === 'count') {
      const parsed = CountTokensRequest.safeParse(json);
      if (!parsed.success) throw invalid(describeIssues(parsed.error));
      if (!names.resolve(parsed.data.model)) throw new AnthropicError('not_found_error', `model: ${parsed.data.model}`);
      let parts: ReturnType<typeof toConverse>;
      try {
        parts = toConverse(parsed.data);
      } catch (error) {
        if (error instanceof TranslationError) throw invalid(error.message);
        throw error;
      }
      // An estimate, as the emulator counts: a quarter of the translated request's characters (docs/anthropic.md).
      const text = toWireJson({ system: parts.system ?? null, messages: parts.messages, tools: parts.tools });
      return sendJson(res, requestId, { input_tokens: Math.max(1, Math.ceil(text.length / 4)) });
    }
    const parsed = MessagesRequest.safeParse(json);
    if (!parsed.success) throw invalid(describeIssues(parsed.error));
    const answer = await messages(parsed.data, owner);
    if (!parsed.data.stream) return sendJson(res, requestId, answer);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': requestId,
    });
    for (const chunk of messageEvents(answer)) (res as NodeJS.WritableStream).write(chunk);
    res.end();
  };

  const server = await listenDual(
    (req, res) => {
      const requestId = anthropicId('req');
      handle(req, res, requestId).catch((error: unknown) => {
        const failure =
          error instanceof AnthropicError ? error : new AnthropicError('api_error', (error as Error).message);
        if (!res.headersSent) sendAnthropicError(res, failure, requestId);
        else res.end(errorEvent(errorBody(failure, requestId)));
      });
    },
    { host, ...(options.port !== undefined && { port: options.port }) },
  );
  return {
    url: server.url,
    port: server.port,
    close: async () => {
      for (const { run, timer } of runs.values()) {
        clearTimeout(timer);
        run.close();
      }
      runs.clear();
      await server.close();
      await pool?.close();
    },
  };
}

/** Whether the last user message answers calls a program made (tool_use blocks with a code-execution caller). */
function answersProgram(messages: readonly AnthropicMessage[]): boolean {
  const assistant = messages[messages.length - 2];
  if (assistant?.role !== 'assistant' || typeof assistant.content === 'string') return false;
  return assistant.content.some((b) => b.type === 'tool_use' && b.caller !== undefined && b.caller.type !== 'direct');
}

function sendJson(res: AnyResponse, requestId: string, value: object): void {
  const body = JSON.stringify(value);
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'request-id': requestId,
  });
  res.end(body);
}
