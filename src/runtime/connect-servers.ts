/** Starts the configured MCP servers through the bridge's hub; the toolset offers what each entry allows. */
import {
  HubToolset,
  McpHub,
  type ElicitationHandler,
  type HubEvent,
  type HubOptions,
  type SamplingHandler,
  type ServerConfig,
  type ServerState,
  type Toolset,
} from '../../bridge/index.js';

/** One server as the CLI shows it. */
export interface ServerInfo {
  name: string;
  transport: ServerState['transport'];
  status: ServerState['status'];
  error?: string;
  lastError?: string;
  /** Tools the model is offered (after the config's allow/deny lists). */
  tools: number;
  /** Tools the server lists. */
  listed: number;
  pid?: number;
  stderr: string[];
  restarts: number;
}

/** The hub, the filtered toolset and a summary per server. */
export interface ConnectedServers {
  hub: McpHub;
  toolset: Toolset;
  servers(): ServerInfo[];
  /** Whether the config's allow/deny lists let the model use `server`'s `tool`. */
  allowed(server: string, tool: string): boolean;
  close(): Promise<void>;
}

/** Options of `connectServers`. */
export interface ConnectOptions {
  connectTimeoutMs?: number;
  onEvent?: (event: HubEvent) => void;
  /** Told each time a server fails, with its name and why. */
  onWarning?: (message: string) => void;
  sampling?: SamplingHandler;
  /** Answers servers that ask the user for input (only servers whose entry allows it are offered it). */
  elicitation?: ElicitationHandler;
  /** Offered to servers that ask for roots. */
  roots?: HubOptions['roots'];
}

/** Starts every server (concurrently) and resolves once each has connected or failed. */
export async function connectServers(
  configs: readonly ServerConfig[],
  options: ConnectOptions = {},
): Promise<ConnectedServers> {
  const onEvent = (event: HubEvent): void => {
    if (event.type === 'server-status' && event.status === 'failed')
      options.onWarning?.(`MCP server "${event.server}" failed: ${event.error ?? 'unknown error'}`);
    options.onEvent?.(event);
  };
  const hub = new McpHub(configs, {
    onEvent,
    ...(options.sampling && { sampling: options.sampling }),
    ...(options.elicitation && { elicitation: options.elicitation }),
    ...(options.roots && { roots: options.roots }),
    ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
  });
  await hub.start();
  // HubToolset applies each entry's allow/deny lists; the counts below compare what it offers with what is listed.
  const toolset = new HubToolset(hub);
  const allowed = (server: string, tool: string): boolean =>
    toolset.list().some((d) => d.server === server && d.tool === tool);
  return {
    hub,
    toolset,
    allowed,
    servers: () =>
      hub.servers().map((s) => ({
        name: s.name,
        transport: s.transport,
        status: s.status,
        tools: toolset.list().filter((d) => d.server === s.name).length,
        listed: s.tools.length,
        stderr: s.stderr,
        restarts: s.restarts,
        ...(s.error !== undefined && { error: s.error }),
        ...(s.lastError !== undefined && { lastError: s.lastError }),
        ...(s.pid !== undefined && { pid: s.pid }),
      })),
    close: () => hub.close(),
  };
}
