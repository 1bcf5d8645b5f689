/**
 * Loads an MCP host config file (JSON with comments) into `ServerConfig[]`: validated with zod, variables
 * resolved, disabled entries left out. Every error names the file, the server and the field; `env` and
 * `headers` values never appear in messages.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { closest, distance } from 'fastest-levenshtein';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { BridgeError } from '../errors.js';
import type { HttpServerConfig, OAuthSettings, ServerConfig, ServerOptions } from '../mcp/server-config.js';
import { ConfigFile, HttpEntry, StdioEntry } from './config-schema.js';
import { interpolate, InterpolationError, type InterpolationScope } from './interpolate.js';

/** A config file that cannot be read or is not valid; `message` names the file, the server and the field. */
export class ConfigError extends BridgeError {
  override readonly name = 'ConfigError';

  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

/** Where relative paths and variables are resolved. */
export interface LoadConfigOptions {
  /** Values for `${VAR}` and `${env:VAR}` (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Base of a relative config path (default `process.cwd()`). */
  cwd?: string;
  /** `${workspaceFolder}` (default: the folder above the file's, as for `.vscode/mcp.json`). */
  workspaceFolder?: string;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

/** Keys an entry may have, and the keys of its `tools`, for "did you mean" on a typo. */
const ENTRY_KEYS = [...new Set([...Object.keys(StdioEntry.shape), ...Object.keys(HttpEntry.shape)])];
const TOOLS_KEYS = ['allow', 'deny'];

/** ` (did you mean "tools"?)` when `key` is a likely typo of a known key (two edits, or a third of it). */
function suggestion(key: string, known: readonly string[]): string {
  const near = closest(key, [...known]);
  const allowed = key.length < 4 ? 1 : Math.max(2, Math.floor(key.length / 3));
  return distance(key.toLowerCase(), near.toLowerCase()) <= allowed ? ` (did you mean "${near}"?)` : '';
}

function issues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      if (i.code === 'unrecognized_keys') {
        const known = i.path.at(-1) === 'tools' ? TOOLS_KEYS : ENTRY_KEYS;
        const where = i.path.length > 0 ? ` in "${i.path.join('.')}"` : '';
        return i.keys
          .map((k) => `unknown key "${k}"${where}${suggestion(k, known)}; known keys: ${known.join(', ')}`)
          .join('; ');
      }
      return `${i.path.length > 0 ? `"${i.path.join('.')}"` : 'entry'}: ${i.message}`;
    })
    .join('; ');
}

/**
 * Reads the MCP servers of a Claude Desktop, VS Code, Cursor or Claude Code config file.
 *
 * @example
 * ```ts source="./load-config.examples.ts#loadMcpConfig_claudeDesktop"
 * const file = join(homedir(), 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
 * const hub = new McpHub(await loadMcpConfig(file));
 * await hub.start();
 * ```
 * @throws ConfigError when the file cannot be read or an entry is not valid.
 */
export async function loadMcpConfig(path: string, options: LoadConfigOptions = {}): Promise<ServerConfig[]> {
  const file = resolve(options.cwd ?? process.cwd(), path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${file}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return parseMcpConfig(text, { ...options, file });
}

/**
 * The MCP servers of a config file's text; `file` (for messages and the default workspace folder) defaults
 * to `mcp.json` in the current directory.
 *
 * @throws ConfigError when the text is not valid JSON with comments or an entry is not valid.
 */
export function parseMcpConfig(text: string, options: LoadConfigOptions & { file?: string } = {}): ServerConfig[] {
  const file = options.file ?? resolve(options.cwd ?? process.cwd(), 'mcp.json');
  const errors: ParseError[] = [];
  const json = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  const first = errors[0];
  if (first) {
    throw new ConfigError(
      `${file}:${lineColumn(text, first.offset)}: invalid JSON (${printParseErrorCode(first.error)})`,
    );
  }
  const top = ConfigFile.safeParse(json);
  if (!top.success) throw new ConfigError(`${file}: ${top.error.issues[0]?.message ?? 'invalid config'}`);
  const data = top.data as { mcpServers?: Record<string, unknown>; servers?: Record<string, unknown> };
  const entries =
    data.mcpServers ?? data.servers ?? (top.data as { mcp: { servers: Record<string, unknown> } }).mcp.servers;
  const scope: InterpolationScope = {
    env: options.env ?? process.env,
    workspaceFolder: options.workspaceFolder ?? dirname(dirname(file)),
    userHome: homedir(),
  };
  const servers: ServerConfig[] = [];
  for (const [name, raw] of Object.entries(entries)) {
    const server = serverEntry(name, raw, `${file}: server "${name}"`, scope);
    if (server) servers.push(server);
  }
  return servers;
}

function isHttpEntry(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const type = (raw as { type?: unknown }).type;
  return type === undefined ? 'url' in raw : type !== 'stdio';
}

function serverEntry(name: string, raw: unknown, where: string, scope: InterpolationScope): ServerConfig | undefined {
  const parsed = isHttpEntry(raw) ? HttpEntry.safeParse(raw) : StdioEntry.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${where}: ${issues(parsed.error)}`);
  const entry = parsed.data;
  if (entry.disabled) return undefined;
  const field = (label: string, value: string): string => {
    try {
      return interpolate(value, scope);
    } catch (error) {
      if (error instanceof InterpolationError) throw new ConfigError(`${where}: "${label}": ${error.message}`);
      throw error;
    }
  };
  const record = (label: string, values: Record<string, string> | undefined): Record<string, string> =>
    Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, field(`${label}.${k}`, v)]));
  const options: ServerOptions = {
    name,
    // Sampling spends the user's model tokens: a server gets it only when its entry opts in.
    sampling: entry.sampling === true,
    ...(entry.tools && { tools: entry.tools }),
    ...(entry.approval && { approval: entry.approval }),
    ...(entry.codeMode && { codeMode: true }),
    // Elicitation interrupts the user: as for sampling, a server gets it only when its entry opts in.
    elicitation: entry.elicitation === true,
    ...(entry.protocol && { protocol: entry.protocol }),
  };
  if ('url' in entry) {
    const transport = entry.type === 'sse' ? 'sse' : 'http';
    const server: HttpServerConfig = {
      ...options,
      transport,
      url: field('url', entry.url),
      headers: record('headers', entry.headers),
    };
    const auth = entry.auth;
    if (auth && 'type' in auth) {
      server.sigv4 = {
        service: auth.service,
        ...(auth.region && { region: auth.region }),
        ...(auth.profile && { profile: auth.profile }),
      };
    }
    const cursor = auth && 'CLIENT_ID' in auth ? auth : undefined;
    const oauth: OAuthSettings = {
      ...(cursor && {
        clientId: field('auth.CLIENT_ID', cursor.CLIENT_ID),
        ...(cursor.CLIENT_SECRET && { clientSecret: field('auth.CLIENT_SECRET', cursor.CLIENT_SECRET) }),
        ...(cursor.scopes && { scopes: cursor.scopes }),
      }),
      ...(entry.oauth?.clientId && { clientId: field('oauth.clientId', entry.oauth.clientId) }),
      ...(entry.oauth?.clientSecret && { clientSecret: field('oauth.clientSecret', entry.oauth.clientSecret) }),
      ...(entry.oauth?.scopes && { scopes: entry.oauth.scopes }),
      ...(entry.oauth?.clientMetadataUrl && { clientMetadataUrl: entry.oauth.clientMetadataUrl }),
      ...(entry.oauth?.grantType && { grantType: entry.oauth.grantType }),
      ...(entry.oauth?.issuer && { issuer: entry.oauth.issuer }),
    };
    if (Object.keys(oauth).length > 0) server.oauth = oauth;
    if (oauth.grantType === 'client_credentials' && (!oauth.clientId || !oauth.clientSecret))
      throw new ConfigError(`${where}: "oauth": "client_credentials" needs "clientId" and "clientSecret"`);
    return server;
  }
  const env = {
    ...(entry.envFile !== undefined && envFile(resolve(scope.workspaceFolder, field('envFile', entry.envFile)), where)),
    ...record('env', entry.env),
  };
  return {
    ...options,
    transport: 'stdio',
    command: field('command', entry.command),
    args: (entry.args ?? []).map((a, i) => field(`args.${i}`, a)),
    env,
    ...(entry.cwd !== undefined && { cwd: field('cwd', entry.cwd) }),
  };
}

function envFile(path: string, where: string): Record<string, string> {
  try {
    return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw new ConfigError(
      `${where}: "envFile": cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}
