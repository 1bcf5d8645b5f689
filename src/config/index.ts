/** The MCP servers a command runs: a config file's (read by the bridge's loader) or the bundled four. */
import { loadMcpConfig } from '../../bridge/entries/config.js';
import type { ServerConfig } from '../../bridge/index.js';
import { packageRoot } from '../package-root.js';
import { defaultServers } from './default-servers.js';

export { defaultServers, BUNDLED_SERVERS } from './default-servers.js';

/** The servers of the config file at `path` (relative to the working directory), or the bundled servers. */
export async function configuredServers(path: string | undefined): Promise<ServerConfig[]> {
  return path ? loadMcpConfig(path) : defaultServers(packageRoot());
}
