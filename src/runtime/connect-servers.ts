/** Starts the configured MCP servers through the bridge's hub; the toolset offers what each entry allows. */
import {
  HubToolset,
  McpHub,
  type HubEvent,
  type SamplingHandler,
  type ServerConfig,
  type ServerState,
  type Toolset,
} from '../../bridge/index.js';

export interface ServerInfo {
  name: string;
  status: ServerState['status'];
  error?: string;
  tools: number;
}

export interface ConnectedServers {
  hub: McpHub;
  toolset: Toolset;
  servers(): ServerInfo[];
  close(): Promise<void>;
}

export async function connectServers(
  configs: readonly ServerConfig[],
  options: { onWarning?: (message: string) => void; sampling?: SamplingHandler } = {},
): Promise<ConnectedServers> {
  const onEvent = (event: HubEvent): void => {
    if (event.type === 'server-status' && event.status === 'failed')
      options.onWarning?.(`MCP server "${event.server}" failed: ${event.error ?? 'unknown error'}`);
  };
  const hub = new McpHub(configs, { onEvent, ...(options.sampling && { sampling: options.sampling }) });
  await hub.start();
  const toolset = new HubToolset(hub);
  return {
    hub,
    toolset,
    servers: () =>
      hub.servers().map((s) => ({
        name: s.name,
        status: s.status,
        tools: s.tools.length,
        ...(s.error !== undefined && { error: s.error }),
      })),
    close: () => hub.close(),
  };
}
