/**
 * Authentication of remote clients (docs/deploy.md): static bearer tokens from a file, and/or an OAuth 2.1
 * resource server that accepts JWT access tokens signed by one issuer's keys (JWKS, verified with `jose`) whose
 * audience is this server's URL. Failures answer 401 with a `WWW-Authenticate` header that points OAuth clients
 * at the protected-resource metadata (RFC 9728), as the MCP authorization specification asks.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';

/** Where tokens come from; at least one of `tokenFile` and `oauthIssuer`. */
export interface AuthOptions {
  tokenFile?: string | undefined;
  oauthIssuer?: string | undefined;
  /** The issuer's JWKS; discovered from its metadata when missing. */
  jwksUrl?: string | undefined;
  /** This server's MCP endpoint URL as clients reach it: the resource identifier and the tokens' audience. */
  resourceUrl: string;
}

/** The outcome of checking one request's `Authorization` header. */
export type AuthOutcome = { ok: true; info: AuthInfo } | { ok: false; wwwAuthenticate: string; message: string };

/** An error at start-up (unreadable token file, unreachable issuer) with a stable code. */
export class AuthSetupError extends Error {
  readonly code = 'AUTH_SETUP_FAILED';
}

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

function readTokens(path: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AuthSetupError(`--token-file ${path}: ${(error as Error).message}`);
  }
  const tokens = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (tokens.length === 0) throw new AuthSetupError(`--token-file ${path} holds no tokens (one a line, # comments)`);
  const short = tokens.find((token) => token.length < 16);
  if (short !== undefined) throw new AuthSetupError(`--token-file ${path}: tokens must be at least 16 characters`);
  // Only digests are kept: a lookup compares fixed-length hashes, never the secret itself.
  return new Set(tokens.map(digest));
}

/** RFC 8414 metadata locations for an issuer, then OpenID Connect's. */
function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}

async function discoverJwks(issuer: string): Promise<string> {
  const failures: string[] = [];
  for (const location of metadataUrls(issuer)) {
    try {
      const response = await fetch(location, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) {
        failures.push(`${location}: HTTP ${response.status}`);
        continue;
      }
      const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (metadata.issuer !== issuer) {
        failures.push(`${location}: names issuer ${JSON.stringify(metadata.issuer)}, expected "${issuer}"`);
        continue;
      }
      if (typeof metadata.jwks_uri === 'string') return metadata.jwks_uri;
      failures.push(`${location}: no jwks_uri`);
    } catch (error) {
      failures.push(`${location}: ${(error as Error).message}`);
    }
  }
  throw new AuthSetupError(
    `cannot find the JWKS of --oauth-issuer ${issuer} (${failures.join('; ')}); pass --jwks-url`,
  );
}

function describeJwtFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The access token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'The access token is not meant for this server (audience)';
    if (error.claim === 'iss') return 'The access token comes from another issuer';
    return `The access token's "${error.claim}" claim is invalid`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return "The access token's signature does not verify";
  return 'The access token is invalid';
}

const quoted = (value: string): string => `"${value.replace(/["\\]/g, '')}"`;

/** Checks bearer tokens; build it with {@link createAuthenticator}. */
export class Authenticator {
  /** The protected-resource metadata document, when OAuth is configured. */
  readonly metadata: Record<string, unknown> | undefined;
  /** Where {@link metadata} is served: `<origin>/.well-known/oauth-protected-resource<path>`. */
  readonly metadataUrl: string | undefined;

  constructor(
    private readonly tokens: Set<string> | undefined,
    private readonly jwt: { verify: (token: string) => Promise<JWTPayload> } | undefined,
    options: AuthOptions,
  ) {
    if (options.oauthIssuer) {
      const resource = new URL(options.resourceUrl);
      const path = resource.pathname === '/' ? '' : resource.pathname;
      this.metadataUrl = `${resource.origin}/.well-known/oauth-protected-resource${path}`;
      this.metadata = {
        resource: options.resourceUrl,
        authorization_servers: [options.oauthIssuer],
        bearer_methods_supported: ['header'],
        resource_name: 'MCP server',
      };
    }
  }

  private challenge(error?: string): string {
    const parts = [this.metadataUrl ? `resource_metadata=${quoted(this.metadataUrl)}` : 'realm="mcp"'];
    if (error !== undefined) parts.unshift(`error="invalid_token", error_description=${quoted(error)}`);
    return `Bearer ${parts.join(', ')}`;
  }

  /** Checks an `Authorization` header value. */
  async check(authorization: string | undefined): Promise<AuthOutcome> {
    const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) {
      const message = authorization === undefined ? 'Authentication required' : 'Expected a Bearer token';
      return { ok: false, message, wwwAuthenticate: this.challenge() };
    }
    const token = match[1] as string;
    if (this.tokens?.has(digest(token))) return { ok: true, info: { token, clientId: 'token-file', scopes: [] } };
    if (!this.jwt) {
      const message = 'The bearer token is not one of --token-file';
      return { ok: false, message, wwwAuthenticate: this.challenge(message) };
    }
    try {
      const payload = await this.jwt.verify(token);
      const clientId = [payload['client_id'], payload['azp'], payload.sub].find((v) => typeof v === 'string');
      const scope = payload['scope'];
      return {
        ok: true,
        info: {
          token,
          clientId: (clientId as string | undefined) ?? 'unknown',
          scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
          ...(payload.exp !== undefined && { expiresAt: payload.exp }),
          extra: { claims: payload },
        },
      };
    } catch (error) {
      const message = describeJwtFailure(error);
      return { ok: false, message, wwwAuthenticate: this.challenge(message) };
    }
  }
}

/** Reads the token file and finds the issuer's keys; throws {@link AuthSetupError} naming what is wrong. */
export async function createAuthenticator(options: AuthOptions): Promise<Authenticator> {
  const tokens = options.tokenFile === undefined ? undefined : readTokens(options.tokenFile);
  let jwt: { verify: (token: string) => Promise<JWTPayload> } | undefined;
  const issuer = options.oauthIssuer;
  if (issuer) {
    const keys = createRemoteJWKSet(new URL(options.jwksUrl ?? (await discoverJwks(issuer))));
    const audience = [...new Set([options.resourceUrl, options.resourceUrl.replace(/\/$/, '')])];
    jwt = { verify: async (token) => (await jwtVerify(token, keys, { issuer, audience })).payload };
  }
  return new Authenticator(tokens, jwt, options);
}
