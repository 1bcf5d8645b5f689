/**
 * Connections to many MCP servers at once. Servers start concurrently; one that fails to start or dies is
 * reported and isolated, never taking the others down. Tools are listed with pagination and re-listed on
 * `notifications/tools/list_changed`; calls carry a timeout, an AbortSignal (aborting sends
 * `notifications/cancelled`) and progress.
 *
 * Connection handling (docs/mcp-connections.md): starting a server (spawn or connect, `initialize`, `tools/list`)
 * has one deadline, after which its process is stopped; stdio servers run in their own process group, so a
 * terminal's Ctrl-C does not reach them; each server's last stderr lines are kept and streamed as events; a server
 * that dies after it was up keeps its tools listed and is restarted on its next call, with backoff between
 * failed attempts; `reconnect` restarts one on demand.
 *
 * The client side speaks both protocol eras through `@modelcontextprotocol/client` (docs/protocol-eras.md);
 * remote servers may need OAuth or SigV4 (docs/remote-servers.md): a server waiting for the user to authorize
 * is `authorizing` and connects by itself once authorized, without holding up the others. Servers may ask for
 * sampling, elicitation and roots; the hub advertises each only when it can answer.
 */
import {
  Client,
  type ClientCapabilities,
  type GetPromptResult,
  type ListChangedOptions,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplateType,
  type Transport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { z } from 'zod';
import { BridgeError } from '../errors.js';
import { withDeadline } from '../timers.js';
import {
  DEFAULT_RETRY,
  idempotencyMeta,
  repeatable,
  type RetryPolicy,
  retryToolCall,
  sessionGone,
} from './call-retry.js';
import { describeHttpFailure, rootMessage, withStderr } from './connection-errors.js';
import type { ElicitationHandler, ElicitationRequest } from './elicitation.js';
import { AuthorizationPending, connectHttp, isInteractive } from './http-connection.js';
import type { SamplingHandler, SamplingRequest } from './sampling.js';
import type { ProtocolMode, ServerConfig } from './server-config.js';
import { serverEnvironment } from './server-environment.js';
import { describeExit, StdioServerProcess } from './stdio-server-process.js';
import type { McpToolResult } from './tool-results.js';
import type { ToolProgress } from '../tools/toolset.js';

/** A tool as listed. Read leniently: real servers publish schemas the SDK's strict types reject (root `oneOf`,
 * `properties: null`), and one such tool must not take its whole server down; the compiler repairs or drops it. */
export interface McpTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: {
    title?: string;
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
}

const LenientToolList = z
  .object({
    tools: z.array(z.object({ name: z.string() }).loose()),
    nextCursor: z.string().optional(),
  })
  .loose();

/**
 * `starting` covers restarts too; `authorizing` waits for the user to finish an OAuth sign-in; `failed` servers
 * that were up keep their tools and restart on next use.
 */
export type ServerStatus = 'starting' | 'authorizing' | 'connected' | 'failed' | 'closed';

/** One server as the hub sees it. */
export interface ServerState {
  name: string;
  /** `transport` for a server reached through a pre-built MCP `Transport`. */
  transport: 'stdio' | 'http' | 'sse' | 'transport';
  status: ServerStatus;
  /** Why the server is not connected (with its last stderr line, when it wrote one). */
  error?: string;
  /** The latest failure, kept after a successful reconnect. */
  lastError?: string;
  /** Its tools; a server that died after listing them keeps them until it is restarted. */
  tools: McpTool[];
  /** Process id of a stdio server while its process runs. */
  pid?: number;
  /** The last lines the server wrote to stderr (stdio servers), oldest first. */
  stderr: string[];
  /** Times the hub restarted this server after it died or on `reconnect`. */
  restarts: number;
  /** The protocol revision agreed with the server while connected, e.g. `2025-11-25` or `2026-07-28`. */
  protocolVersion?: string;
  /** What the server said it offers (`tools`, `prompts`, `resources`, …) while connected. */
  capabilities?: Record<string, unknown>;
}

/** A root the hub offers to servers that ask (`roots/list`): a `file://` URI and a name. */
export interface Root {
  uri: string;
  name?: string;
}

/** A page of a list, or all of it: `items` and the cursor of the next page. */
export interface ListPage<T> {
  items: T[];
  nextCursor?: string;
}

export type { GetPromptResult, Prompt, ReadResourceResult, Resource, ResourceTemplateType as ResourceTemplate };

/** What the hub reports as it runs: status changes, tool-list changes and each stderr line of a server. */
export type HubEvent =
  | { type: 'server-status'; server: string; status: ServerStatus; error?: string }
  | { type: 'tools-changed'; server: string }
  | { type: 'prompts-changed'; server: string }
  | { type: 'resources-changed'; server: string }
  | { type: 'server-stderr'; server: string; line: string };

/** Restarting servers that died: the first restart is immediate, failed ones back off exponentially. */
export interface RestartPolicy {
  /** Wait after the first failed restart (default 1 s); it doubles with each further failure. */
  initialDelayMs?: number;
  /** Longest wait between attempts (default 30 s). */
  maxDelayMs?: number;
}

/** Options of an `McpHub`. */
export interface HubOptions {
  /**
   * Per server (default 10 s): spawning or connecting, `initialize` and `tools/list` must finish by then, or the
   * server has failed and its process is stopped.
   */
  connectTimeoutMs?: number;
  /** Restart servers that died on their next call (default on); `false` leaves them failed until `reconnect`. */
  restart?: RestartPolicy | false;
  /** How many stderr lines to keep per server (default 20). */
  stderrLines?: number;
  onEvent?: (event: HubEvent) => void;
  /** Answers servers' `sampling/createMessage` requests; without it the hub does not advertise sampling. */
  sampling?: SamplingHandler;
  /** Asks the user what servers want to know (`elicitation/create`); without it the hub does not advertise it. */
  elicitation?: ElicitationHandler;
  /** Offered to servers that ask (`roots/list`); without it the hub does not advertise roots. */
  roots?: readonly Root[] | (() => readonly Root[]);
  /**
   * Retries of tool calls that failed on the way (HTTP 503/429 and refused connections for every tool; 502/504
   * and cut connections for read-only or idempotent tools), see call-retry.ts. Default 4 attempts; `false` off.
   */
  retry?: Partial<RetryPolicy> | false;
}

interface Connection {
  config: ServerConfig;
  state: ServerState;
  client?: Client;
  /** Every transport of the current attempt (Streamable HTTP and its SSE fallback), closed together. */
  transports: Transport[];
  process?: StdioServerProcess;
  /** Set while an attempt runs, so concurrent calls wait for the same one. */
  connecting?: Promise<void>;
  /** Listed its tools once: it is restarted on its next call after it dies. */
  wasUp: boolean;
  /** Deaths and failed restarts since the last successful call: the backoff grows with them. */
  strikes: number;
  retryAt: number;
  /** Bumped per attempt, so a stale client's close does not touch a newer connection. */
  generation: number;
  /** Lines of the current attempt that were not JSON-RPC on stdout. */
  noise: string[];
  /** Sign-ins completed since the server was last connected: a server that keeps asking is given up on. */
  authorizations: number;
  /** Resolves once the current attempt waits for the user's authorization, so `start()` need not wait too. */
  waiting?: { promise: Promise<void>; resolve: () => void };
}

const CLIENT_INFO = { name: 'mcp-bedrock-bridge', version: '0.1.0' };
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Sign-ins per connection before the hub stops asking the user (a server that never accepts the scope). */
const MAX_AUTHORIZATIONS = 3;

class ConnectTimeout extends Error {}

/**
 * Connections to many MCP servers at once: each a command (stdio), a URL (Streamable HTTP, falling back to
 * HTTP+SSE, or SSE) or an MCP SDK `Transport` you built, as `ServerConfig`s or what `loadMcpConfig` returns.
 * Servers start concurrently; one that fails to start or dies is reported and isolated, and restarted on its next
 * call. Tools are listed page by page and re-listed on `notifications/tools/list_changed`. Offer the tools to a
 * model through `HubToolset`.
 *
 * @example
 * ```ts source="./mcp-hub.examples.ts#McpHub_servers"
 * const hub = new McpHub(
 *   [
 *     { name: 'orders', transport: 'stdio', command: 'npx', args: ['mcp-orders'] },
 *     {
 *       name: 'search',
 *       transport: 'http',
 *       url: 'https://mcp.example.com/mcp',
 *       headers: { Authorization: 'Bearer …' },
 *     },
 *   ],
 *   { onEvent: (event) => event.type === 'server-status' && console.error(event.server, event.status) },
 * );
 * await hub.start(); // resolves when every server has connected or failed; one failure never stops the others
 * for (const server of hub.servers()) console.log(server.name, server.status, server.tools.length);
 * await hub.close();
 * ```
 * @example A config file
 * ```ts source="./mcp-hub.examples.ts#McpHub_configFile"
 * const hub = new McpHub(await loadMcpConfig('.vscode/mcp.json'));
 * await hub.start();
 * ```
 * @example A transport you built
 * ```ts source="./mcp-hub.examples.ts#McpHub_transport"
 * const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
 * await server.connect(serverSide);
 * const hub = new McpHub([{ name: 'in-process', transport: clientSide }]);
 * await hub.start();
 * ```
 */
export class McpHub {
  private readonly connections = new Map<string, Connection>();
  /** Increments whenever any server's tool list or status changes. */
  version = 0;

  constructor(
    configs: readonly ServerConfig[],
    private readonly options: HubOptions = {},
  ) {
    for (const config of configs) {
      this.connections.set(config.name, {
        config,
        state: {
          name: config.name,
          transport: typeof config.transport === 'object' ? 'transport' : config.transport,
          status: 'starting',
          tools: [],
          stderr: [],
          restarts: 0,
        },
        transports: [],
        wasUp: false,
        strikes: 0,
        retryAt: 0,
        generation: 0,
        noise: [],
        authorizations: 0,
      });
    }
  }

  /**
   * Connects every server concurrently; resolves when each has connected, failed, or is waiting for the user to
   * authorize (`authorizing`: it connects later by itself, see {@link whenSettled}).
   */
  async start(): Promise<void> {
    await Promise.all(
      [...this.connections.values()].map((connection) => {
        const connecting = this.connect(connection);
        return connection.waiting ? Promise.race([connecting, connection.waiting.promise]) : connecting;
      }),
    );
  }

  /** Resolves with the server's state once it is no longer starting or authorizing. */
  async whenSettled(server: string): Promise<ServerState> {
    const connection = this.connection(server);
    while (connection.connecting) await connection.connecting.catch(() => {});
    return this.servers().find((s) => s.name === server) as ServerState;
  }

  /** A snapshot of every server, in configuration order. */
  servers(): ServerState[] {
    return [...this.connections.values()].map(({ state, process }) => {
      const pid = process?.pid;
      return { ...state, tools: [...state.tools], stderr: [...state.stderr], ...(pid !== undefined && { pid }) };
    });
  }

  /** Stops the server (if it runs) and connects it again, whatever its state; resolves with its new state. */
  async reconnect(server: string): Promise<ServerState> {
    const connection = this.connection(server);
    await connection.connecting?.catch(() => {});
    await this.discard(connection, false);
    connection.state.restarts++;
    connection.strikes = 0;
    connection.authorizations = 0;
    await this.connect(connection);
    return this.servers().find((s) => s.name === server) as ServerState;
  }

  private connection(server: string): Connection {
    const connection = this.connections.get(server);
    if (!connection) {
      const known = [...this.connections.keys()].join(', ') || 'none';
      throw new BridgeError('MCP_UNKNOWN_SERVER', `No MCP server "${server}" (servers: ${known}).`);
    }
    return connection;
  }

  private setStatus(connection: Connection, status: ServerStatus, error?: string): void {
    const { state } = connection;
    state.status = status;
    if (error !== undefined) {
      state.error = error;
      state.lastError = error;
    } else delete state.error;
    // A server that was up keeps its tools while it is down, so its next call can restart it.
    if (status === 'closed' || (status === 'failed' && !connection.wasUp)) state.tools = [];
    if (status !== 'connected') {
      delete state.protocolVersion;
      delete state.capabilities;
    }
    this.version++;
    this.options.onEvent?.({
      type: 'server-status',
      server: state.name,
      status,
      ...(error !== undefined && { error }),
    });
  }

  private connect(connection: Connection): Promise<void> {
    if (!connection.connecting) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      connection.waiting = { promise, resolve };
      connection.connecting = this.attempt(connection).finally(() => {
        connection.connecting = undefined;
        connection.waiting?.resolve();
        connection.waiting = undefined;
      });
    }
    return connection.connecting;
  }

  private async attempt(connection: Connection): Promise<void> {
    const generation = ++connection.generation;
    connection.noise = [];
    if (connection.state.status !== 'starting') this.setStatus(connection, 'starting');
    const ms = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const work = this.open(connection, generation);
    try {
      const tools = await withDeadline(work, ms);
      if (tools === 'timeout' || tools === 'aborted') throw new ConnectTimeout();
      if (generation !== connection.generation) return;
      connection.state.tools = tools;
      connection.wasUp = true;
      const client = connection.client as Client;
      const version = client.getNegotiatedProtocolVersion?.();
      if (version) connection.state.protocolVersion = version;
      const capabilities = client.getServerCapabilities();
      if (capabilities) connection.state.capabilities = { ...capabilities };
      connection.authorizations = 0;
      this.setStatus(connection, 'connected');
    } catch (error) {
      work.catch(() => {});
      if (generation !== connection.generation) return;
      if (error instanceof AuthorizationPending) {
        await this.authorize(connection, error, generation);
        return;
      }
      // The process of a server that timed out is killed, not asked to stop: it has shown it does not answer.
      await this.discard(connection, error instanceof ConnectTimeout);
      this.setStatus(connection, 'failed', this.startFailure(connection, error, ms));
    }
  }

  private startFailure(connection: Connection, error: unknown, ms: number): string {
    const { config } = connection;
    let text: string;
    if (error instanceof ConnectTimeout) {
      text =
        `did not finish starting (initialize and tools/list) within ${ms / 1000} ` +
        `s${config.transport === 'stdio' ? '; its process was stopped' : ''}`;
    } else if (config.transport === 'http' || config.transport === 'sse') {
      text = describeHttpFailure(new URL(config.url), error);
    } else if (connection.process?.exit) {
      text = `${describeExit(connection.process.exit)} before it finished starting`;
    } else if (config.transport === 'stdio') {
      const code = (error as { code?: string }).code;
      text =
        'cannot start ' +
        `"${config.command}": ${rootMessage(error)}${code === 'ENOENT' ? ' (command not found)' : ''}`;
    } else {
      text = rootMessage(error);
    }
    const noise = connection.noise[0];
    if (noise !== undefined) text += `; it wrote ${JSON.stringify(noise.slice(0, 120))} on stdout, which is not MCP`;
    return withStderr(text, connection.state.stderr);
  }

  /** Waits (without the connect deadline) for the user's authorization, then connects again. */
  private async authorize(connection: Connection, pending: AuthorizationPending, generation: number): Promise<void> {
    if (++connection.authorizations > MAX_AUTHORIZATIONS) {
      await this.discard(connection, false);
      this.setStatus(
        connection,
        'failed',
        `still not authorized after ${MAX_AUTHORIZATIONS} sign-ins (the server keeps asking for more scope?)`,
      );
      return;
    }
    this.setStatus(connection, 'authorizing');
    connection.waiting?.resolve();
    try {
      const response = await pending.provider.authorizationResponse();
      if (generation !== connection.generation) return;
      await pending.transport.finishAuth(response);
    } catch (error) {
      if (generation !== connection.generation) return;
      await this.discard(connection, false);
      this.setStatus(connection, 'failed', `authorization failed: ${rootMessage(error)}`);
      return;
    }
    await this.discard(connection, false);
    await this.attempt(connection);
  }

  /** A client advertising exactly what the hub handles: servers list different tools depending on it. */
  private newClient(connection: Connection, generation: number, protocol: ProtocolMode): Client {
    const { config } = connection;
    const sampling = config.sampling === false ? undefined : this.options.sampling;
    const elicitation = config.elicitation === false ? undefined : this.options.elicitation;
    const roots = this.options.roots;
    const capabilities: ClientCapabilities = {
      ...(sampling && { sampling: {} }),
      ...(elicitation && { elicitation: { form: { applyDefaults: true }, url: {} } }),
      ...(roots && { roots: { listChanged: false } }),
    };
    const changed = <T>(event: 'prompts-changed' | 'resources-changed'): ListChangedOptions<T> => ({
      autoRefresh: false,
      debounceMs: 0,
      onChanged: () => {
        this.version++;
        this.options.onEvent?.({ type: event, server: config.name });
      },
    });
    const client = new Client(CLIENT_INFO, {
      capabilities,
      versionNegotiation: { mode: protocol === '2026-07-28' ? { pin: protocol } : protocol },
      listChanged: {
        tools: {
          autoRefresh: false,
          debounceMs: 0,
          onChanged: () => void this.relist(connection, client, generation),
        },
        prompts: changed<Prompt>('prompts-changed'),
        resources: changed<Resource>('resources-changed'),
      },
    });
    if (sampling)
      client.setRequestHandler('sampling/createMessage', (request) =>
        sampling(request.params as unknown as SamplingRequest, config.name),
      );
    if (elicitation)
      client.setRequestHandler('elicitation/create', (request) =>
        elicitation(request.params as ElicitationRequest, config.name),
      );
    if (roots)
      client.setRequestHandler('roots/list', () => ({
        roots: (typeof roots === 'function' ? roots() : roots).map((root) => ({ ...root })),
      }));
    client.onclose = () => {
      if (generation === connection.generation && connection.state.status === 'connected') this.lost(connection);
    };
    connection.client = client;
    return client;
  }

  private async relist(connection: Connection, client: Client, generation: number): Promise<void> {
    try {
      connection.state.tools = await this.listAll(client);
      this.version++;
      this.options.onEvent?.({ type: 'tools-changed', server: connection.config.name });
    } catch (error) {
      if (generation === connection.generation)
        this.setStatus(connection, 'failed', `re-listing tools failed: ${rootMessage(error)}`);
    }
  }

  /** Connects (stdio, Streamable HTTP, or HTTP+SSE) and lists the tools. */
  private async open(connection: Connection, generation: number): Promise<McpTool[]> {
    const { config } = connection;
    if (typeof config.transport === 'object') {
      connection.transports = [config.transport];
      const client = this.newClient(connection, generation, config.protocol ?? 'legacy');
      await client.connect(config.transport);
      return this.listAll(client);
    }
    if (config.transport === 'stdio') {
      const child = new StdioServerProcess({
        command: config.command,
        args: config.args ?? [],
        env: serverEnvironment(config.env),
        ...(config.cwd !== undefined && { cwd: config.cwd }),
        onStderr: (line) => this.stderrLine(connection, line),
        onStdoutNoise: (line) => {
          if (connection.noise.length < 5) connection.noise.push(line);
        },
      });
      connection.process = child;
      connection.transports = [child];
      const client = this.newClient(connection, generation, config.protocol ?? 'legacy');
      await client.connect(child);
      return this.listAll(client);
    }
    connection.transports = [];
    const client = await connectHttp(
      config,
      (protocol) => this.newClient(connection, generation, protocol),
      (transport) => connection.transports.push(transport),
    );
    return this.listAll(client);
  }

  private stderrLine(connection: Connection, line: string): void {
    const { stderr } = connection.state;
    stderr.push(line);
    if (stderr.length > (this.options.stderrLines ?? 20)) stderr.shift();
    this.options.onEvent?.({ type: 'server-stderr', server: connection.config.name, line });
  }

  /** A connected server died or hung up: it keeps its tools and restarts on its next call. */
  private lost(connection: Connection): void {
    const exit = connection.process?.exit;
    const what = exit ? describeExit(exit) : 'closed the connection';
    connection.strikes++;
    connection.retryAt = Date.now() + this.backoff(connection.strikes);
    this.setStatus(connection, 'failed', withStderr(what, connection.state.stderr));
  }

  /** No wait before the first restart; then the initial delay, doubling up to the maximum. */
  private backoff(strikes: number): number {
    if (this.options.restart === false || strikes <= 1) return 0;
    const { initialDelayMs = 1_000, maxDelayMs = 30_000 } = this.options.restart ?? {};
    return Math.min(maxDelayMs, initialDelayMs * 2 ** (strikes - 2));
  }

  /** Closes the current attempt's client and transports; `kill` stops a stdio process at once. */
  private async discard(connection: Connection, kill: boolean): Promise<void> {
    const { client, transports } = connection;
    connection.generation++;
    connection.client = undefined;
    connection.transports = [];
    if (kill) await connection.process?.kill();
    await client?.close().catch(() => {});
    await Promise.allSettled(transports.map((t) => t.close()));
  }

  /** Waits for a server that is starting, or restarts one that died once its backoff has passed. */
  private async ready(connection: Connection): Promise<Client> {
    const { state } = connection;
    if (state.status === 'authorizing') {
      throw new BridgeError(
        'MCP_AUTHORIZATION_PENDING',
        `MCP server "${state.name}" is waiting for you to authorize it (finish signing in in the browser).`,
      );
    }
    if (connection.connecting) await connection.connecting;
    if (state.status === 'failed' && connection.wasUp && this.options.restart !== false) {
      const wait = connection.retryAt - Date.now();
      if (wait > 0) {
        throw new BridgeError(
          'MCP_SERVER_UNAVAILABLE',
          `MCP server "${state.name}" is not available: ${state.error}; next restart in ${Math.ceil(wait / 1000)} s.`,
        );
      }
      state.restarts++;
      await this.connect(connection);
      if (connection.state.status !== 'connected') {
        connection.strikes++;
        connection.retryAt = Date.now() + this.backoff(connection.strikes);
      }
    }
    if (!connection.client || connection.state.status !== 'connected') {
      throw new BridgeError(
        'MCP_SERVER_UNAVAILABLE',
        `MCP server "${state.name}" is not available${state.error ? `: ${state.error}` : ''}.`,
      );
    }
    return connection.client;
  }

  private async listAll(client: Client): Promise<McpTool[]> {
    const tools: McpTool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.request(
        { method: 'tools/list', params: cursor === undefined ? {} : { cursor } },
        LenientToolList,
      );
      tools.push(...(page.tools as McpTool[]));
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  /**
   * Calls a tool, restarting its server first if it died. Protocol and transport failures throw `BridgeError`
   * (`MCP_SERVER_UNAVAILABLE`, `MCP_SERVER_DIED`, `MCP_CALL_FAILED`); the toolset turns them into error results.
   */
  async callTool(
    server: string,
    tool: string,
    args: { [key: string]: unknown },
    options: { signal?: AbortSignal; timeoutMs?: number; onProgress?: (progress: ToolProgress) => void } = {},
  ): Promise<McpToolResult> {
    const connection = this.connections.get(server);
    if (!connection) throw new BridgeError('MCP_SERVER_UNAVAILABLE', `MCP server "${server}" is not available.`);
    let client = await this.ready(connection);
    const hints = connection.state.tools.find((t) => t.name === tool)?.annotations;
    const meta = idempotencyMeta(hints);
    const params = { name: tool, arguments: args, ...(meta && { _meta: meta }) };
    const requestOptions = {
      ...(options.signal && { signal: options.signal }),
      ...(options.timeoutMs !== undefined && { timeout: options.timeoutMs }),
      ...(options.onProgress && {
        onprogress: (p: { progress: number; total?: number; message?: string }) => options.onProgress?.(p),
        resetTimeoutOnProgress: false,
      }),
    };
    const send = () =>
      this.authorized(connection, async () => (await client.callTool(params, requestOptions)) as McpToolResult);
    let renewed = false;
    const call = async (): Promise<McpToolResult> => {
      try {
        return await send();
      } catch (error) {
        // The server forgot our session (expired, or it restarted): a new session, then the call once more.
        if (renewed || !sessionGone(error)) throw error;
        renewed = true;
        await this.reconnect(server);
        client = await this.ready(connection);
        return send();
      }
    };
    try {
      const retry = this.options.retry;
      const result =
        retry === false
          ? await call()
          : await retryToolCall(call, {
              policy: { ...DEFAULT_RETRY, ...retry },
              repeatable: repeatable(hints),
              signal: options.signal,
            });
      connection.strikes = 0;
      return result;
    } catch (error) {
      if (error instanceof BridgeError && error.code.startsWith('MCP_AUTH')) throw error;
      if (connection.state.status === 'failed') {
        throw new BridgeError(
          'MCP_SERVER_DIED',
          `MCP server "${server}" ${connection.state.error} during the call to ${tool}.`,
          { cause: error },
        );
      }
      throw new BridgeError('MCP_CALL_FAILED', `${server}/${tool}: ${rootMessage(error)}`, { cause: error });
    }
  }

  /**
   * Runs `request`; when the server refuses it for want of authorization (a token that was refused and could
   * not be refreshed, or a call that needs more scope), the user signs in again through the interactive
   * provider and the request runs again: the server refused it before doing anything.
   */
  private async authorized<T>(connection: Connection, request: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        const result = await request();
        connection.authorizations = 0;
        return result;
      } catch (error) {
        if (!(error instanceof UnauthorizedError)) throw error;
        const { config, state } = connection;
        const transport = connection.transports[0];
        if (
          config.transport !== 'http' ||
          !isInteractive(config.authProvider) ||
          !transport ||
          !('finishAuth' in transport)
        )
          throw new BridgeError('MCP_AUTH_REFUSED', `MCP server "${state.name}" refused the credentials.`, {
            cause: error,
          });
        if (++connection.authorizations > MAX_AUTHORIZATIONS)
          throw new BridgeError(
            'MCP_AUTH_REFUSED',
            `MCP server "${state.name}": still not authorized after ${MAX_AUTHORIZATIONS} sign-ins.`,
            { cause: error },
          );
        try {
          const response = await config.authProvider.authorizationResponse();
          await (transport as ConstructorParameters<typeof AuthorizationPending>[0]).finishAuth(response);
        } catch (failure) {
          throw new BridgeError(
            'MCP_AUTH_FAILED',
            `MCP server "${state.name}": authorization failed: ${rootMessage(failure)}`,
            {
              cause: failure,
            },
          );
        }
      }
    }
  }

  /** A connected server's client, for requests other than tool calls. */
  private async connected(server: string): Promise<Client> {
    return this.ready(this.connection(server));
  }

  private async request<T>(server: string, what: string, run: (client: Client) => Promise<T>): Promise<T> {
    const connection = this.connection(server);
    const client = await this.ready(connection);
    try {
      return await this.authorized(connection, () => run(client));
    } catch (error) {
      if (error instanceof BridgeError && error.code.startsWith('MCP_AUTH')) throw error;
      throw new BridgeError('MCP_REQUEST_FAILED', `${server}: ${what}: ${rootMessage(error)}`, { cause: error });
    }
  }

  private offers(server: string, capability: 'prompts' | 'resources'): boolean {
    const state = this.connections.get(server)?.state;
    return state?.status === 'connected' && state.capabilities?.[capability] !== undefined;
  }

  /**
   * A server's prompts: every page (`cursor` omitted; results the server marks cacheable are served from the
   * client's cache while fresh, and dropped on `list_changed`), or the one page at `cursor`. A server that does
   * not offer prompts has none.
   */
  async listPrompts(server: string, cursor?: string): Promise<ListPage<Prompt>> {
    await this.connected(server);
    if (!this.offers(server, 'prompts')) return { items: [] };
    return this.request(server, 'prompts/list', async (client) => {
      const page = await client.listPrompts(cursor === undefined ? undefined : { cursor });
      return { items: page.prompts, ...(page.nextCursor && { nextCursor: page.nextCursor }) };
    });
  }

  /** Gets one prompt with its arguments filled in: the messages to send. */
  async getPrompt(server: string, name: string, args: Record<string, string> = {}): Promise<GetPromptResult> {
    return this.request(server, `prompts/get ${name}`, (client) => client.getPrompt({ name, arguments: args }));
  }

  /** A server's resources (every page, or the one at `cursor`), as for {@link listPrompts}. */
  async listResources(server: string, cursor?: string): Promise<ListPage<Resource>> {
    await this.connected(server);
    if (!this.offers(server, 'resources')) return { items: [] };
    return this.request(server, 'resources/list', async (client) => {
      const page = await client.listResources(cursor === undefined ? undefined : { cursor });
      return { items: page.resources, ...(page.nextCursor && { nextCursor: page.nextCursor }) };
    });
  }

  /** A server's resource templates (URI templates such as `file:///{path}`), as for {@link listPrompts}. */
  async listResourceTemplates(server: string, cursor?: string): Promise<ListPage<ResourceTemplateType>> {
    await this.connected(server);
    if (!this.offers(server, 'resources')) return { items: [] };
    return this.request(server, 'resources/templates/list', async (client) => {
      const page = await client.listResourceTemplates(cursor === undefined ? undefined : { cursor });
      return { items: page.resourceTemplates, ...(page.nextCursor && { nextCursor: page.nextCursor }) };
    });
  }

  /** Reads a resource by URI (from a list, or a template filled in). */
  async readResource(server: string, uri: string): Promise<ReadResourceResult> {
    return this.request(server, `resources/read ${uri}`, (client) => client.readResource({ uri }));
  }

  /** The entry `server` was configured with. */
  config(server: string): ServerConfig | undefined {
    return this.connections.get(server)?.config;
  }

  /** Closes every connection; stdio servers get their stdin closed, then SIGTERM, then SIGKILL. */
  async close(): Promise<void> {
    await Promise.allSettled(
      [...this.connections.values()].map(async (connection) => {
        // A server still starting is stopped at once rather than waited for.
        const starting = connection.connecting !== undefined;
        this.setStatus(connection, 'closed');
        await this.discard(connection, starting);
      }),
    );
  }
}
