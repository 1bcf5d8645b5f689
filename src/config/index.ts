/** Config loading for the CLI and the gateway. */
export { loadConfig, redactedSummary, ConfigError } from './load-config.js';
export type { BridgeConfig, ConfiguredServer, ServerPolicy } from './load-config.js';
export { defaultServers, BUNDLED_SERVERS } from './default-servers.js';
