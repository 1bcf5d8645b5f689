/**
 * How to reach one MCP server and what the bridge may do with it: the shape `McpHub` takes and
 * `mcp-bedrock-bridge/config` loads from Claude Desktop, VS Code, Cursor and Claude Code config files.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** Which of a server's tools approval applies to (see `needsApprovalFor` in `mcp-bedrock-bridge/config`). */
export type ApprovalMode = 'always' | 'never' | 'destructive';

/** What every server entry may say besides how to reach the server. */
export interface ServerOptions {
  /** Unique among the hub's servers; tool names are prefixed with it when two servers share a tool name. */
  name: string;
  /**
   * Whether this server may ask the model for completions (MCP sampling) when the hub has a sampling handler.
   * Default `true` for `McpHub`; a loaded config file says `false` unless its entry opts in, since sampling
   * spends the user's model tokens.
   */
  sampling?: boolean;
  /**
   * Which of the server's tools `HubToolset` offers, by the server's own tool names with `*` wildcards; a tool
   * must match `allow` (when given) and not `deny`.
   */
  tools?: { allow?: string[]; deny?: string[] };
  /**
   * Which calls need approval, read by `needsApprovalFor`: `always`, `never`, or `destructive` (the default:
   * tools not annotated read-only or non-destructive).
   */
  approval?: ApprovalMode;
  /** Read by the mcp-bedrock CLI: offer these tools as Python functions behind `execute_code`. */
  codeMode?: boolean;
}

/** A server the hub starts as a child process and speaks to over stdin/stdout. */
export interface StdioServerConfig extends ServerOptions {
  transport: 'stdio';
  command: string;
  args?: string[];
  /** Added to a minimal inherited environment (PATH, HOME, …), as the MCP SDK's stdio transport does. */
  env?: Record<string, string>;
  cwd?: string;
}

/** A remote server: Streamable HTTP (`http`, falling back to HTTP+SSE for older servers) or HTTP+SSE (`sse`). */
export interface HttpServerConfig extends ServerOptions {
  transport: 'http' | 'sse';
  url: string;
  /** Sent with every request, e.g. `Authorization`. */
  headers?: Record<string, string>;
}

/** A server reached through an MCP SDK `Transport` you built (in-memory, WebSocket, a custom process, …). */
export interface TransportServerConfig extends ServerOptions {
  transport: Transport;
}

/** One MCP server for `McpHub`: a command, a URL, or a ready transport, plus its options. */
export type ServerConfig = StdioServerConfig | HttpServerConfig | TransportServerConfig;
