/**
 * OAuth for the CLI's HTTP servers (docs/remote-servers.md, "The CLI's sign-in"): every HTTP entry that brings
 * no credentials of its own (no `Authorization` header, no SigV4) gets a provider, so a server that answers 401
 * starts the MCP authorization flow. `client_credentials` entries get the SDK's `ClientCredentialsProvider`
 * (headless: CI, a gateway; nothing stored); the others the bridge's `OAuthProvider` on a token file.
 */
import { ClientCredentialsProvider } from '@modelcontextprotocol/client';
import { BridgeError, type HttpServerConfig, OAuthProvider, type ServerConfig } from '../../bridge/index.js';
import { signInWithBrowser } from './browser-sign-in.js';
import { tokenDir, tokenFilePath, tokenFileStore } from './token-file.js';

/**
 * What happens when a server needs the user to sign in: `browser` opens it (chat), `browser-or-paste` also
 * takes a pasted redirect address (`auth login`), `refuse` fails the server with a pointer to `auth login`
 * (run, tools, gateway: nobody is there to sign in).
 */
export type SignInMode = 'browser' | 'browser-or-paste' | 'refuse';

/** How {@link withOAuth} sets providers up. */
export interface OAuthSetup {
  mode: SignInMode;
  /** Where sign-in instructions go. */
  notice: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Opens a URL in a browser (default: `$BROWSER` or the platform's opener). */
  open?: (url: string) => Promise<boolean>;
}

/** Whether the CLI signs in to `server` with OAuth: an HTTP entry with no credentials of its own. */
export function usesOAuth(server: ServerConfig): server is HttpServerConfig {
  if (!('url' in server) || server.authProvider || server.sigv4) return false;
  return !Object.keys(server.headers ?? {}).some((h) => h.toLowerCase() === 'authorization');
}

/** The token file of an HTTP server entry. */
export function tokenFileOf(server: HttpServerConfig, env: NodeJS.ProcessEnv = process.env): string {
  return tokenFilePath(tokenDir(env), server.name, server.url);
}

/** The OAuth provider the CLI uses for `server`. */
export function providerFor(
  server: HttpServerConfig,
  setup: OAuthSetup,
): NonNullable<HttpServerConfig['authProvider']> {
  const oauth = server.oauth ?? {};
  if (oauth.grantType === 'client_credentials' && oauth.clientId && oauth.clientSecret) {
    return new ClientCredentialsProvider({
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      clientName: 'mcp-bedrock',
      ...(oauth.scopes?.length && { scope: oauth.scopes.join(' ') }),
      ...(oauth.issuer !== undefined && { expectedIssuer: oauth.issuer }),
    });
  }
  const store = tokenFileStore(tokenFileOf(server, setup.env), server.name, server.url);
  return new OAuthProvider({
    clientName: 'mcp-bedrock',
    redirectUrl: () => store.redirectUri(),
    store,
    ...(oauth.clientId !== undefined && { clientId: oauth.clientId }),
    ...(oauth.clientSecret !== undefined && { clientSecret: oauth.clientSecret }),
    ...(oauth.issuer !== undefined && { clientIssuer: oauth.issuer }),
    ...(oauth.scopes !== undefined && { scopes: oauth.scopes }),
    ...(oauth.clientMetadataUrl !== undefined && { clientMetadataUrl: oauth.clientMetadataUrl }),
    openAuthorization: async (url) => {
      if (setup.mode === 'refuse')
        throw new BridgeError(
          'OAUTH_SIGN_IN_NEEDED',
          `sign in first: mcp-bedrock auth login ${server.name} (or use "chat", which signs in when asked)`,
        );
      return signInWithBrowser(url, {
        server: server.name,
        redirectUri: store.redirectUri(),
        notice: setup.notice,
        paste: setup.mode === 'browser-or-paste',
        ...(setup.open && { open: setup.open }),
        ...(setup.env && { env: setup.env }),
      });
    },
  });
}

/** `servers` with an OAuth provider on each HTTP entry that {@link usesOAuth}. */
export function withOAuth(servers: readonly ServerConfig[], setup: OAuthSetup): ServerConfig[] {
  return servers.map((s) => (usesOAuth(s) ? { ...s, authProvider: providerFor(s, setup) } : s));
}
