/**
 * How to reach one MCP server and what the bridge may do with it: the shape `McpHub` takes and
 * `mcp-bedrock-bridge/config` loads from Claude Desktop, VS Code, Cursor and Claude Code config files.
 */
import type { AuthProvider, FetchLike, OAuthClientProvider, Transport } from '@modelcontextprotocol/client';

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
  /**
   * Whether this server may ask the user for input (MCP elicitation) when the hub has an elicitation handler.
   * Default `true` for `McpHub`; a loaded config file says `false` unless its entry opts in, as for sampling.
   */
  elicitation?: boolean;
  /**
   * Which protocol era to speak (docs/protocol-eras.md): `auto` probes with `server/discover` (2026-07-28) and
   * falls back to `initialize` (2025-11-25 and older), `legacy` only initializes, `2026-07-28` only speaks that
   * revision. Default `auto` for HTTP servers, `legacy` for stdio and pre-built transports.
   */
  protocol?: ProtocolMode;
}

/** How the hub negotiates the protocol revision with one server (docs/protocol-eras.md). */
export type ProtocolMode = 'auto' | 'legacy' | '2026-07-28';

/**
 * AWS Signature Version 4 on every request to the server, e.g. an AgentCore Gateway or Runtime
 * (docs/remote-servers.md).
 */
export interface SigV4Settings {
  /** The signing name, e.g. `bedrock-agentcore`. */
  service: string;
  /** Default: the region in the server's hostname, then `AWS_REGION`, then the profile's. */
  region?: string;
  /** A profile of the shared AWS config files; default: the standard credential chain. */
  profile?: string;
}

/**
 * OAuth settings of a config-file entry, read by an application's OAuth provider (the mcp-bedrock CLI's):
 * a pre-registered client, and the grant to use.
 */
export interface OAuthSettings {
  /** A client registered with the authorization server beforehand (otherwise: CIMD or dynamic registration). */
  clientId?: string;
  clientSecret?: string;
  /** Scopes to ask for (default: what the server's challenge or metadata names). */
  scopes?: string[];
  /** The HTTPS URL of this client's metadata document (Client ID Metadata Documents), used as its `client_id`. */
  clientMetadataUrl?: string;
  /**
   * The authorization server a pre-registered client belongs to: its credentials are sent to no other (an MCP
   * server naming another authorization server does not get them).
   */
  issuer?: string;
  /** `authorization_code` (a person signs in, the default) or `client_credentials` (headless: CI, gateways). */
  grantType?: 'authorization_code' | 'client_credentials';
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
  /**
   * OAuth for this server (docs/remote-servers.md): the MCP SDK's `OAuthClientProvider` (or a plain
   * `AuthProvider` that supplies tokens). A provider that also implements {@link InteractiveAuthorization}
   * lets the hub finish a flow that needs the user, without holding up the other servers.
   */
  authProvider?: OAuthClientProvider | AuthProvider;
  /** Signs every request with AWS SigV4 (AgentCore-hosted servers), from the AWS credential chain. */
  sigv4?: SigV4Settings;
  /** OAuth settings from a config file, for the application to build `authProvider` from; the hub ignores them. */
  oauth?: OAuthSettings;
  /** The fetch the transport uses (default: the global one); SigV4 signing wraps it. */
  fetch?: FetchLike;
}

/**
 * An OAuth provider whose authorization needs the user (a browser sign-in). After the SDK called
 * `redirectToAuthorization(url)`, the hub awaits `authorizationResponse()` for the redirect's query parameters
 * (`code`, `state`, `iss`), checks nothing itself (the provider checks `state`, the SDK checks `iss`), and
 * completes the flow.
 */
export interface InteractiveAuthorization {
  /** The query of the redirect back to the client, once the user has authorized (or refused). */
  authorizationResponse(): Promise<URLSearchParams>;
}

/** A server reached through an MCP SDK `Transport` you built (in-memory, WebSocket, a custom process, …). */
export interface TransportServerConfig extends ServerOptions {
  transport: Transport;
}

/** One MCP server for `McpHub`: a command, a URL, or a ready transport, plus its options. */
export type ServerConfig = StdioServerConfig | HttpServerConfig | TransportServerConfig;
