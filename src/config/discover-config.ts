/**
 * Which MCP config the CLI uses when none is named: the user's own hosts' files, in a documented order
 * (docs/config-discovery.md). `--config` (or $MCP_BEDROCK_CONFIG) always wins; then the project's files in the
 * current directory, then the user's; the bundled demo servers only when none of them lists a server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'jsonc-parser';
import { loadMcpConfig } from '../../bridge/entries/config.js';
import type { ServerConfig } from '../../bridge/index.js';
import { defaultServers } from './default-servers.js';

/** A place a config may be. */
export interface ConfigCandidate {
  path: string;
  /** The host that writes this file, e.g. "Claude Desktop". */
  host: string;
  scope: 'option' | 'environment' | 'project' | 'user';
}

/** Where the servers in use came from. */
export type ConfigSource =
  | (ConfigCandidate & { kind: 'file' })
  /** No config found: the four bundled demo servers. */
  | { kind: 'demo' };

/** A loaded config and where it came from. */
export interface ResolvedConfig {
  servers: ServerConfig[];
  source: ConfigSource;
}

/** Where to look. `home`, `platform` and `env` are parameters so tests can point them at temporary folders. */
export interface DiscoveryOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  home?: string;
  platform?: NodeJS.Platform;
}

function appData(options: DiscoveryOptions, home: string): string {
  return options.env['APPDATA'] ?? join(home, 'AppData', 'Roaming');
}

/** Every file the discovery reads, in the order it tries them (without --config / $MCP_BEDROCK_CONFIG). */
export function configCandidates(options: DiscoveryOptions): ConfigCandidate[] {
  const home = options.home ?? homedir();
  const platform = options.platform ?? process.platform;
  const project = (path: string, host: string): ConfigCandidate => ({
    path: resolve(options.cwd, path),
    host,
    scope: 'project',
  });
  const user = (path: string, host: string): ConfigCandidate => ({ path, host, scope: 'user' });
  const userConfig =
    platform === 'darwin'
      ? join(home, 'Library', 'Application Support')
      : platform === 'win32'
        ? appData(options, home)
        : options.env['XDG_CONFIG_HOME'] || join(home, '.config');
  return [
    project('.mcp.json', 'Claude Code (project)'),
    project(join('.vscode', 'mcp.json'), 'VS Code (workspace)'),
    project(join('.cursor', 'mcp.json'), 'Cursor (project)'),
    user(join(home, '.cursor', 'mcp.json'), 'Cursor'),
    user(join(userConfig, 'Claude', 'claude_desktop_config.json'), 'Claude Desktop'),
    user(join(home, '.claude.json'), 'Claude Code (user)'),
    user(join(userConfig, 'Code', 'User', 'mcp.json'), 'VS Code (user)'),
  ];
}

/**
 * Loads the config to use: the named one, or the first discovered file that declares at least one server, or
 * the bundled demo servers. A discovered file that is invalid is an error (naming it), not skipped: the user
 * meant those servers.
 */
export async function resolveConfig(
  named: string | undefined,
  options: DiscoveryOptions & { packageRoot: string; fromEnvironment?: boolean },
): Promise<ResolvedConfig> {
  const load = (path: string) => loadMcpConfig(path, { env: options.env, cwd: options.cwd });
  if (named) {
    const servers = await load(named);
    const path = resolve(options.cwd, named);
    const scope = options.fromEnvironment ? 'environment' : 'option';
    return { servers, source: { kind: 'file', path, host: 'your config', scope } };
  }
  for (const candidate of configCandidates(options)) {
    if (declaredServers(candidate.path) === 0) continue;
    return { servers: await load(candidate.path), source: { kind: 'file', ...candidate } };
  }
  return { servers: defaultServers(options.packageRoot), source: { kind: 'demo' } };
}

/**
 * How many server entries a file declares (disabled ones included): 0 for a missing file or one without
 * `mcpServers` / `servers` (Claude Code's ~/.claude.json holds much else); undefined when it is not even JSON,
 * which the loader then reports with the file's name.
 */
export function declaredServers(path: string): number | undefined {
  if (!existsSync(path)) return 0;
  let json: unknown;
  try {
    json = parse(readFileSync(path, 'utf8'), [], { allowTrailingComma: true }) as unknown;
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const top = json as { mcpServers?: unknown; servers?: unknown; mcp?: { servers?: unknown } };
  const entries = top.mcpServers ?? top.servers ?? top.mcp?.servers;
  return typeof entries === 'object' && entries !== null ? Object.keys(entries).length : 0;
}

/** One line saying where the servers came from, for banners and `tools`. */
export function describeSource(source: ConfigSource, home = homedir()): string {
  if (source.kind === 'demo')
    return 'no MCP config found: using the bundled demo servers (see "mcp-bedrock config list")';
  return `config: ${tildify(source.path, home)} (${source.host})`;
}

/** `~/x` for paths under the home folder. */
export function tildify(path: string, home = homedir()): string {
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}
