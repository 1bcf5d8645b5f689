/**
 * The MCP servers a command runs: a named config file, a discovered one (read by the bridge's loader), or the bundled
 * four.
 */
import { loadMcpConfig } from '../../bridge/entries/config.js';
import type { ServerConfig } from '../../bridge/index.js';
import { packageRoot } from '../package-root.js';
import { defaultServers } from './default-servers.js';

export { defaultServers, BUNDLED_SERVERS } from './default-servers.js';
export { configCandidates, declaredServers, describeSource, resolveConfig, tildify } from './discover-config.js';
export type { ConfigCandidate, ConfigSource, DiscoveryOptions, ResolvedConfig } from './discover-config.js';
export { redactedSummary } from './redacted-summary.js';

/** The servers of the config file at `path` (relative to the working directory), or the bundled servers. */
export async function configuredServers(path: string | undefined): Promise<ServerConfig[]> {
  return path ? loadMcpConfig(path) : defaultServers(packageRoot());
}
