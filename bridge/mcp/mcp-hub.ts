/**
 * Connections to many MCP servers at once. Servers start concurrently; one that fails to start or dies is
 * reported and isolated, never taking the others down. Tools are listed with pagination and re-listed on
 * `notifications/tools/list_changed`; calls carry a timeout, an AbortSignal and progress.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CreateMessageRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { BridgeError } from '../errors.js';
import { DEFAULT_RETRY, idempotencyMeta, repeatable, type RetryPolicy, retryToolCall } from './call-retry.js';
import type { SamplingHandler, SamplingRequest } from './sampling.js';
import type { McpToolResult } from './tool-results.js';
import type { ToolProgress } from '../tools/toolset.js';

/** `sampling: false` keeps one server from sampling when the hub has a handler (default: every server may). */
export type ServerConfig = (
  | { name: string; transport: 'stdio'; command: string; args?: string[]; env?: Record<string, string>; cwd?: string }
  | { name: string; transport: 'http' | 'sse'; url: string; headers?: Record<string, string> }
) & { sampling?: boolean };

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

export type ServerStatus = 'starting' | 'connected' | 'failed' | 'closed';

export interface ServerState {
  name: string;
  status: ServerStatus;
  error?: string;
  tools: McpTool[];
  /** Process id of a stdio server while it runs. */
  pid?: number;
}

export type HubEvent =
  | { type: 'server-status'; server: string; status: ServerStatus; error?: string }
  | { type: 'tools-changed'; server: string };

export interface HubOptions {
  /** Per server (default 20 s): a server that has not answered `initialize` and `tools/list` by then has failed. */
  startTimeoutMs?: number;
  onEvent?: (event: HubEvent) => void;
  /** Answers servers' `sampling/createMessage` requests; without it the hub does not advertise sampling. */
  sampling?: SamplingHandler;
  /**
   * Retries of tool calls that failed on the way (HTTP 503/429 and refused connections for every tool; 502/504
   * and cut connections for read-only or idempotent tools), see call-retry.ts. Default 4 attempts; `false` off.
   */
  retry?: Partial<RetryPolicy> | false;
}

interface Connection extends ServerState {
  client?: Client;
  transport?: StdioClientTransport;
}

const CLIENT_INFO = { name: 'mcp-bedrock-bridge', version: '0.1.0' };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class McpHub {
  private readonly connections = new Map<string, Connection>();
  /** Increments whenever any server's tool list or status changes. */
  version = 0;

  constructor(
    private readonly configs: readonly ServerConfig[],
    private readonly options: HubOptions = {},
  ) {
    for (const config of configs)
      this.connections.set(config.name, { name: config.name, status: 'starting', tools: [] });
  }

  /** Connects every server concurrently; resolves when each has connected or failed. */
  async start(): Promise<void> {
    await Promise.all(this.configs.map((config) => this.connect(config)));
  }

  servers(): ServerState[] {
    return [...this.connections.values()].map(({ name, status, error, tools, transport }) => ({
      name,
      status,
      tools,
      ...(error !== undefined && { error }),
      ...(status === 'connected' && transport?.pid != null && { pid: transport.pid }),
    }));
  }

  private setStatus(connection: Connection, status: ServerStatus, error?: string): void {
    connection.status = status;
    if (error !== undefined) connection.error = error;
    else delete connection.error;
    if (status !== 'connected') connection.tools = [];
    this.version++;
    this.options.onEvent?.({
      type: 'server-status',
      server: connection.name,
      status,
      ...(error !== undefined && { error }),
    });
  }

  private async connect(config: ServerConfig): Promise<void> {
    const connection = this.connections.get(config.name) as Connection;
    try {
      const client = await withTimeout(
        this.open(config, connection),
        this.options.startTimeoutMs ?? 20_000,
        `starting ${config.name}`,
      );
      connection.client = client;
      client.onclose = () => {
        if (connection.status === 'connected') this.setStatus(connection, 'failed', 'the server closed the connection');
      };
      client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
        try {
          connection.tools = await this.listAll(client);
          this.version++;
          this.options.onEvent?.({ type: 'tools-changed', server: config.name });
        } catch (error) {
          this.setStatus(connection, 'failed', `re-listing tools failed: ${describe(error)}`);
        }
      });
      connection.tools = await withTimeout(
        this.listAll(client),
        this.options.startTimeoutMs ?? 20_000,
        `listing ${config.name}'s tools`,
      );
      this.setStatus(connection, 'connected');
    } catch (error) {
      this.setStatus(connection, 'failed', describe(error));
      await connection.client?.close().catch(() => {});
    }
  }

  /** A client advertising exactly what the hub handles: servers list different tools depending on it. */
  private newClient(config: ServerConfig): Client {
    const sampling = config.sampling === false ? undefined : this.options.sampling;
    const server = config.name;
    const client = new Client(CLIENT_INFO, { capabilities: sampling ? { sampling: {} } : {} });
    if (sampling)
      client.setRequestHandler(CreateMessageRequestSchema, (request) =>
        sampling(request.params as SamplingRequest, server),
      );
    return client;
  }

  private async open(config: ServerConfig, connection: Connection): Promise<Client> {
    const client = this.newClient(config);
    // Transports load on first use: a CLI run with stdio servers never pays for the HTTP ones.
    if (config.transport === 'stdio') {
      const { StdioClientTransport, getDefaultEnvironment } = await import('@modelcontextprotocol/sdk/client/stdio.js');
      const transport = new StdioClientTransport({
        command: config.command,
        args: config.args ?? [],
        env: { ...getDefaultEnvironment(), ...config.env },
        ...(config.cwd !== undefined && { cwd: config.cwd }),
        stderr: 'ignore',
      });
      connection.transport = transport;
      await client.connect(transport);
      return client;
    }
    const url = new URL(config.url);
    const requestInit = { headers: config.headers ?? {} };
    const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
    if (config.transport === 'sse') {
      await client.connect(new SSEClientTransport(url, { requestInit }));
      return client;
    }
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    try {
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit }) as Transport);
      return client;
    } catch (error) {
      // Servers from before the 2025-03-26 revision only speak HTTP+SSE.
      const fallback = this.newClient(config);
      try {
        await fallback.connect(new SSEClientTransport(url, { requestInit }));
        return fallback;
      } catch {
        throw error;
      }
    }
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

  /** Calls a tool; protocol and transport failures throw `BridgeError` (the toolset turns them into error results). */
  async callTool(
    server: string,
    tool: string,
    args: { [key: string]: unknown },
    options: { signal?: AbortSignal; timeoutMs?: number; onProgress?: (progress: ToolProgress) => void } = {},
  ): Promise<McpToolResult> {
    const connection = this.connections.get(server);
    if (!connection?.client || connection.status !== 'connected') {
      throw new BridgeError(
        'MCP_SERVER_UNAVAILABLE',
        `MCP server "${server}" is not available${connection?.error ? `: ${connection.error}` : ''}.`,
      );
    }
    const client = connection.client;
    const hints = connection.tools.find((t) => t.name === tool)?.annotations;
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
    const call = async () => (await client.callTool(params, undefined, requestOptions)) as McpToolResult;
    try {
      const retry = this.options.retry;
      if (retry === false) return await call();
      const policy = { ...DEFAULT_RETRY, ...retry };
      return await retryToolCall(call, { policy, repeatable: repeatable(hints), signal: options.signal });
    } catch (error) {
      throw new BridgeError('MCP_CALL_FAILED', `${server}/${tool}: ${describe(error)}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(
      [...this.connections.values()].map(async (connection) => {
        const client = connection.client;
        connection.status = 'closed';
        await client?.close();
      }),
    );
  }
}
