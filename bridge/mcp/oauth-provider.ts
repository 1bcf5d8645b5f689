/**
 * An OAuth 2.1 client for one MCP server, on the MCP SDK's `OAuthClientProvider` (docs/remote-servers.md). The
 * SDK does the protocol: protected-resource and authorization-server metadata discovery with the 2025-03-26
 * fallbacks, Client ID Metadata Documents, dynamic registration, PKCE, resource indicators, issuer checks,
 * refresh and scope step-up. This class keeps what it hands over in an {@link OAuthStore} (per issuer), sends
 * the user to the authorization URL through `openAuthorization` (a browser, a printed URL, or a test's fetch),
 * and checks `state` on the way back. The hub completes the flow (see `InteractiveAuthorization`).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type {
  OAuthClientInformationContext,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import { BridgeError } from '../errors.js';
import type { InteractiveAuthorization } from './server-config.js';

/** What a provider keeps for one server: per authorization server (issuer), its client and tokens. */
export interface OAuthState {
  clients?: Record<string, StoredOAuthClientInformation>;
  tokens?: Record<string, StoredOAuthTokens>;
  /** The issuer of the latest tokens: the transport asks for "the current tokens" without naming one. */
  current?: string;
  discovery?: OAuthDiscoveryState;
}

/** Where a provider keeps its state between runs (a 0600 file, a keychain, memory). */
export interface OAuthStore {
  load(): Promise<OAuthState | undefined> | OAuthState | undefined;
  save(state: OAuthState): Promise<void> | void;
}

/** A store that keeps state for the life of the process. */
export function memoryOAuthStore(initial: OAuthState = {}): OAuthStore {
  let state = structuredClone(initial);
  return {
    load: () => state,
    save: (next) => {
      state = structuredClone(next);
    },
  };
}

/** How an {@link OAuthProvider} is set up. */
export interface OAuthProviderOptions {
  /**
   * Where the authorization server sends the user back (a loopback URL the application listens on); a function
   * is called when the URL is first needed (choosing a port only for servers that ask for OAuth).
   */
  redirectUrl: string | URL | (() => string);
  /**
   * Sends the user to `url` and resolves with the query of the redirect back to `redirectUrl` (the application
   * opens a browser and listens, or asks the user to paste the URL they land on).
   */
  openAuthorization: (url: URL) => Promise<URLSearchParams>;
  store?: OAuthStore;
  /** `client_name` for registration (default `mcp-bedrock-bridge`). */
  clientName?: string;
  /** A pre-registered client (no registration then). */
  clientId?: string;
  clientSecret?: string;
  /** The issuer of the authorization server `clientId` is registered with: the client is offered to no other. */
  clientIssuer?: string;
  /** Scopes to ask for when the server names none. */
  scopes?: string[];
  /** An HTTPS URL serving this client's metadata document, used as its `client_id` where the server allows. */
  clientMetadataUrl?: string;
}

const key = (ctx?: OAuthClientInformationContext): string | undefined => ctx?.issuer;

/** An interactive OAuth client provider; pass it as a server's `authProvider`. */
export class OAuthProvider implements OAuthClientProvider, InteractiveAuthorization {
  private readonly store: OAuthStore;
  private verifier: string | undefined;
  private expectedState: string | undefined;
  private pending: URL | undefined;
  /** An HTTPS URL serving this client's metadata document (Client ID Metadata Documents). */
  readonly clientMetadataUrl?: string;

  constructor(private readonly options: OAuthProviderOptions) {
    this.store = options.store ?? memoryOAuthStore();
    if (options.clientMetadataUrl !== undefined) this.clientMetadataUrl = options.clientMetadataUrl;
  }

  get redirectUrl(): string | URL {
    const url = this.options.redirectUrl;
    return typeof url === 'function' ? url() : url;
  }

  get clientMetadata(): OAuthClientMetadata {
    const secret = this.options.clientSecret !== undefined;
    return {
      client_name: this.options.clientName ?? 'mcp-bedrock-bridge',
      redirect_uris: [String(this.redirectUrl)],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: secret ? 'client_secret_basic' : 'none',
      ...(this.options.scopes?.length && { scope: this.options.scopes.join(' ') }),
    };
  }

  private async load(): Promise<OAuthState> {
    return structuredClone((await this.store.load()) ?? {});
  }

  async clientInformation(ctx?: OAuthClientInformationContext): Promise<StoredOAuthClientInformation | undefined> {
    if (this.options.clientId !== undefined) {
      return {
        client_id: this.options.clientId,
        ...(this.options.clientSecret !== undefined && { client_secret: this.options.clientSecret }),
        ...(this.options.clientIssuer !== undefined && { issuer: this.options.clientIssuer }),
        redirect_uris: [String(this.redirectUrl)],
      };
    }
    const { clients = {} } = await this.load();
    const issuer = key(ctx);
    return issuer === undefined ? Object.values(clients)[0] : clients[issuer];
  }

  async saveClientInformation(info: StoredOAuthClientInformation, ctx?: OAuthClientInformationContext): Promise<void> {
    const state = await this.load();
    state.clients = { ...state.clients, [key(ctx) ?? info.issuer ?? '']: info };
    await this.store.save(state);
  }

  async tokens(ctx?: OAuthClientInformationContext): Promise<StoredOAuthTokens | undefined> {
    const { tokens = {}, current } = await this.load();
    const issuer = key(ctx) ?? current;
    return issuer === undefined ? undefined : tokens[issuer];
  }

  async saveTokens(tokens: StoredOAuthTokens, ctx?: OAuthClientInformationContext): Promise<void> {
    const state = await this.load();
    const issuer = key(ctx) ?? tokens.issuer ?? '';
    state.tokens = { ...state.tokens, [issuer]: tokens };
    state.current = issuer;
    await this.store.save(state);
  }

  async discoveryState(): Promise<OAuthDiscoveryState | undefined> {
    return (await this.load()).discovery;
  }

  async saveDiscoveryState(discovery: OAuthDiscoveryState): Promise<void> {
    const state = await this.load();
    state.discovery = discovery;
    await this.store.save(state);
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    const state = await this.load();
    if (scope === 'all' || scope === 'client') delete state.clients;
    if (scope === 'all' || scope === 'tokens') {
      delete state.tokens;
      delete state.current;
    }
    if (scope === 'all' || scope === 'discovery') delete state.discovery;
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
    await this.store.save(state);
  }

  /** The `state` parameter of the next authorization request, checked on the way back. */
  state(): string {
    this.expectedState = randomBytes(16).toString('base64url');
    return this.expectedState;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (this.verifier === undefined) throw new BridgeError('OAUTH_NO_VERIFIER', 'No authorization is in progress.');
    return this.verifier;
  }

  /** Keeps the URL: the user is sent there when the hub asks for the response (it may decide not to). */
  redirectToAuthorization(url: URL): void {
    this.pending = url;
  }

  /**
   * Sends the user to the authorization URL and resolves with the redirect's query once they have authorized.
   *
   * @throws BridgeError `OAUTH_DENIED` when the server reports an error, `OAUTH_STATE_MISMATCH` when `state`
   * is not the one sent (a forged or stale redirect).
   */
  async authorizationResponse(): Promise<URLSearchParams> {
    const url = this.pending;
    this.pending = undefined;
    if (!url) throw new BridgeError('OAUTH_NOT_STARTED', 'No authorization was started.');
    const params = await this.options.openAuthorization(url);
    const expected = this.expectedState;
    this.expectedState = undefined;
    const state = params.get('state') ?? '';
    if (
      expected !== undefined &&
      !(state.length === expected.length && timingSafeEqual(Buffer.from(state), Buffer.from(expected)))
    ) {
      throw new BridgeError('OAUTH_STATE_MISMATCH', 'The authorization response does not belong to this sign-in.');
    }
    const error = params.get('error');
    if (error !== null) {
      // The description comes from the redirect, which anyone can craft: only the standard code is shown.
      throw new BridgeError('OAUTH_DENIED', `The authorization server refused: ${error.replace(/[^\w-]/g, '')}`);
    }
    return params;
  }
}
