/**
 * Connecting the hub to a remote server (docs/remote-servers.md): Streamable HTTP with the MCP SDK's OAuth
 * (`authProvider`), optional SigV4 signing, the protocol era the entry asks for, and HTTP+SSE for servers from
 * before the 2025-03-26 revision. An OAuth flow that needs the user ends the attempt with
 * {@link AuthorizationPending}, which the hub completes outside its connect deadline.
 */
import {
  type Client,
  type FetchLike,
  discoverOAuthProtectedResourceMetadata,
  IssuerMismatchError,
  type OAuthClientProvider,
  OAuthError,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Transport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { rootMessage } from './connection-errors.js';
import type { HttpServerConfig, InteractiveAuthorization, ProtocolMode } from './server-config.js';
import { sigv4Fetch } from './sigv4-fetch.js';

/** The server needs the user to authorize: `transport.finishAuth` takes the provider's authorization response. */
export class AuthorizationPending extends Error {
  constructor(
    readonly transport: StreamableHTTPClientTransport,
    readonly provider: OAuthClientProvider & InteractiveAuthorization,
  ) {
    super('waiting for the user to authorize');
  }
}

/** Whether `provider` can finish a flow that needs the user. */
export function isInteractive(provider: unknown): provider is OAuthClientProvider & InteractiveAuthorization {
  return typeof (provider as Partial<InteractiveAuthorization> | undefined)?.authorizationResponse === 'function';
}

const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|certificate/i;

/**
 * Servers of the 2025-03-26 revision publish no protected-resource metadata: the client takes the server's
 * origin as the authorization server, so no one named an issuer that the metadata's `issuer` could fail to
 * echo. Such a server's metadata may name an issuer with a path on the same origin; accepting it there (and
 * only there) is what its clients did then (docs/remote-servers.md, "Issuer checks").
 */
async function legacyIssuerOnSameOrigin(url: URL, error: unknown, fetchFn: FetchLike): Promise<boolean> {
  if (!(error instanceof IssuerMismatchError) || error.kind !== 'metadata' || !error.received) return false;
  if (error.expected === undefined || new URL(error.expected).href !== `${url.origin}/`) return false;
  if (new URL(error.received).origin !== url.origin) return false;
  try {
    await discoverOAuthProtectedResourceMetadata(url, undefined, fetchFn as typeof fetch);
    return false;
  } catch {
    return true;
  }
}

/**
 * Connects `newClient()` to an HTTP server; `track` receives every transport of the attempt (the hub closes
 * them together). Throws {@link AuthorizationPending} when an interactive OAuth flow is waiting for the user.
 */
export async function connectHttp(
  config: HttpServerConfig,
  newClient: (protocol: ProtocolMode) => Client,
  track: (transport: Transport) => void,
): Promise<Client> {
  const url = new URL(config.url);
  const requestInit = { headers: config.headers ?? {} };
  const base = config.fetch ?? fetch;
  const fetchFn = config.sigv4 ? sigv4Fetch({ ...config.sigv4, fetch: base }) : base;
  if (config.transport === 'sse') {
    const sse = new SSEClientTransport(url, { requestInit, fetch: fetchFn, ...auth(config) });
    track(sse);
    const client = newClient('legacy');
    await client.connect(sse);
    return client;
  }
  let relaxIssuer = false;
  let resets = 0;
  for (;;) {
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit,
      fetch: fetchFn,
      ...auth(config),
      ...(relaxIssuer && { skipIssuerMetadataValidation: true }),
    });
    track(transport);
    const client = newClient(config.protocol ?? 'auto');
    try {
      await client.connect(transport);
      return client;
    } catch (error) {
      await client.close().catch(() => {});
      if (error instanceof UnauthorizedError && isInteractive(config.authProvider))
        throw new AuthorizationPending(transport, config.authProvider);
      if (!relaxIssuer && (await legacyIssuerOnSameOrigin(url, error, fetchFn))) {
        relaxIssuer = true;
        continue;
      }
      const message = rootMessage(error);
      // A keep-alive connection the server closed as it was reused: nothing was processed, connect again once.
      if (/ECONNRESET|other side closed/i.test(message) && resets++ === 0) continue;
      // An OAuth failure stays one (a provider alone, which applications attach to every entry, does not).
      const refused = error instanceof UnauthorizedError || error instanceof OAuthError;
      if (UNREACHABLE.test(message) || refused || config.sigv4 || config.protocol === '2026-07-28') throw error;
      // Servers from before the 2025-03-26 revision only speak HTTP+SSE.
      const sse = new SSEClientTransport(url, { requestInit, fetch: fetchFn });
      track(sse);
      const fallback = newClient('legacy');
      try {
        await fallback.connect(sse);
        return fallback;
      } catch {
        throw error;
      }
    }
  }
}

function auth(config: HttpServerConfig): { authProvider?: NonNullable<HttpServerConfig['authProvider']> } {
  return config.authProvider ? { authProvider: config.authProvider } : {};
}
