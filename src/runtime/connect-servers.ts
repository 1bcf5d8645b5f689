/** Starts the configured MCP servers through the bridge's hub and applies each server's allow/deny lists. */
import {
  filterToolset,
  globMatcher,
  HubToolset,
  McpHub,
  type HubEvent,
  type SamplingHandler,
  type ServerState,
  type Toolset,
} from '../../bridge/index.js';
import type { ConfiguredServer } from '../config/index.js';

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
  configs: readonly ConfiguredServer[],
  options: { onWarning?: (message: string) => void; sampling?: SamplingHandler } = {},
): Promise<ConnectedServers> {
  const onEvent = (event: HubEvent): void => {
    if (event.type === 'server-status' && event.status === 'failed')
      options.onWarning?.(`MCP server "${event.server}" failed: ${event.error ?? 'unknown error'}`);
  };
  // Sampling spends the user's model tokens: only servers whose config says `"sampling": true` are offered it.
  const servers = configs.map((c) => ({ ...c, sampling: c.policy.sampling === true }));
  const hub = new McpHub(servers, { onEvent, ...(options.sampling && { sampling: options.sampling }) });
  await hub.start();
  const filters = new Map(
    configs.map((c) => {
      const allow = c.policy.allow ? globMatcher(c.policy.allow) : undefined;
      const deny = c.policy.deny ? globMatcher(c.policy.deny) : undefined;
      return [c.name, (tool: string) => (!allow || allow(tool)) && !deny?.(tool)];
    }),
  );
  const toolset = filterToolset(new HubToolset(hub), (d) => filters.get(d.server)?.(d.tool) ?? true);
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
