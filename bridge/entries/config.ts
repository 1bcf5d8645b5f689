/**
 * `mcp-bedrock-bridge/config`: the MCP servers of a Claude Desktop, VS Code, Cursor or Claude Code config file
 * as the `ServerConfig[]` that `new McpHub(...)` takes, and each entry's approval setting for the tool loop.
 *
 * @packageDocumentation
 */
export { ConfigError, loadMcpConfig, parseMcpConfig } from '../config/load-config.js';
export type { LoadConfigOptions } from '../config/load-config.js';
export { needsApprovalFor } from '../config/approval.js';
