/**
 * The server entries of MCP host config files (Claude Desktop, Cursor, Claude Code and Copilot `mcpServers`,
 * VS Code `servers`), plus the bridge's own keys. Unknown keys are errors, so a typo never passes silently.
 * The formats and how they are read: docs/configuration.md.
 */
import { z } from 'zod';

const strings = z.array(z.string(), { error: 'expected an array of strings' });
const stringRecord = z.record(z.string(), z.string(), { error: 'expected an object of string values' });
const flag = z.boolean({ error: 'expected true or false' });

/** Keys every entry may have besides how to reach the server. */
const common = {
  disabled: flag.optional(),
  tools: z
    .strictObject(
      { allow: strings.optional(), deny: strings.optional() },
      { error: 'expected {"allow": [...], "deny": [...]}' },
    )
    .optional(),
  codeMode: flag.optional(),
  sampling: flag.optional(),
  elicitation: flag.optional(),
  protocol: z.enum(['auto', 'legacy', '2026-07-28'], { error: 'expected "auto", "legacy" or "2026-07-28"' }).optional(),
  approval: z
    .enum(['always', 'never', 'destructive'], { error: 'expected "always", "never" or "destructive"' })
    .optional(),
  /** VS Code's development mode (watch and debug): meaningful to VS Code only, accepted and not used. */
  dev: z.unknown().optional(),
  /** VS Code's marks on servers installed from its gallery: accepted and not used. */
  gallery: z.unknown().optional(),
  version: z.unknown().optional(),
};

const text = z.string({ error: 'expected a string' }).min(1, 'expected a non-empty string');

/** The bridge's OAuth settings (docs/remote-servers.md); VS Code's `oauth: {clientId}` is the same key. */
const OAuthEntry = z.strictObject(
  {
    clientId: text.optional(),
    clientSecret: text.optional(),
    scopes: strings.optional(),
    clientMetadataUrl: z.url({ protocol: /^https$/, error: 'expected an https URL' }).optional(),
    issuer: z.url({ error: "expected the authorization server's issuer URL" }).optional(),
    grantType: z
      .enum(['authorization_code', 'client_credentials'], {
        error: 'expected "authorization_code" or "client_credentials"',
      })
      .optional(),
  },
  { error: 'expected {"clientId", "clientSecret", "scopes", "clientMetadataUrl", "grantType", "issuer"}' },
);

/** `auth`: AWS SigV4, or Cursor's OAuth client (`CLIENT_ID`, `CLIENT_SECRET`, `scopes`). */
const AuthEntry = z.union(
  [
    z.strictObject({
      type: z.literal('sigv4'),
      service: text,
      region: text.optional(),
      profile: text.optional(),
    }),
    z.strictObject({ CLIENT_ID: text, CLIENT_SECRET: text.optional(), scopes: strings.optional() }),
  ],
  {
    error:
      'expected {"type": "sigv4", "service": "bedrock-agentcore", "region"?, ' +
      '"profile"?} or Cursor\'s {"CLIENT_ID", "CLIENT_SECRET"?, "scopes"?}',
  },
);

/** A server started as a process. */
export const StdioEntry = z.strictObject({
  type: z.literal('stdio', { error: 'expected "stdio" for an entry with "command"' }).optional(),
  command: z.string({ error: 'expected the command to run, as a string' }).min(1, 'expected the command to run'),
  args: strings.optional(),
  env: stringRecord.optional(),
  /** VS Code and Cursor: a dotenv file whose variables the server gets (entries in `env` win). */
  envFile: z.string({ error: 'expected a path' }).optional(),
  cwd: z.string({ error: 'expected a path' }).optional(),
  ...common,
});

/** A server reached by URL. */
export const HttpEntry = z.strictObject({
  type: z
    .enum(['http', 'sse', 'streamable-http', 'streamableHttp'], { error: 'expected "http" or "sse" for a "url" entry' })
    .optional(),
  url: z.url({ error: 'expected an http(s) URL' }),
  headers: stringRecord.optional(),
  oauth: OAuthEntry.optional(),
  auth: AuthEntry.optional(),
  ...common,
});

/** The file: `mcpServers`, `servers` (VS Code's mcp.json) or `mcp.servers` (VS Code's settings.json). */
export const ConfigFile = z.union(
  [
    z.object({ mcpServers: z.record(z.string(), z.unknown()) }).loose(),
    z.object({ servers: z.record(z.string(), z.unknown()) }).loose(),
    z.object({ mcp: z.object({ servers: z.record(z.string(), z.unknown()) }).loose() }).loose(),
  ],
  {
    error:
      'expected an object with "mcpServers" (Claude Desktop, Cursor, Claude Code), "servers" ' +
      '(VS Code mcp.json) or "mcp": {"servers"} (VS Code settings.json)',
  },
);
