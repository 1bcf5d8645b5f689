/**
 * `mcp-bedrock auth login | logout | status [SERVER]`: OAuth sign-in to the config's HTTP servers
 * (docs/remote-servers.md, "The CLI's sign-in"). Tokens live in 0600 files under the data directory and are
 * never printed; status says what is stored, not what it is.
 */
import { statSync } from 'node:fs';
import { type HttpServerConfig, McpHub, type ServerConfig } from '../../../bridge/index.js';
import { describeSource, resolveConfig } from '../../config/index.js';
import { providerFor, tokenFileOf, usesOAuth } from '../../oauth/server-auth.js';
import { readTokenFile, removeTokenFile } from '../../oauth/token-file.js';
import { packageRoot } from '../../package-root.js';
import { CliError } from '../cli-error.js';
import { HELP } from '../help.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, parseCommandLine } from '../options.js';

/** How a server authenticates, in words (no secret in them). */
function describeAuth(server: ServerConfig, env: NodeJS.ProcessEnv): string {
  if (!('url' in server)) return 'a local process (no sign-in)';
  if (server.sigv4) return `AWS SigV4 for "${server.sigv4.service}" (credentials from the AWS credential chain)`;
  if (!usesOAuth(server)) return 'the Authorization header of its config entry';
  if (server.oauth?.grantType === 'client_credentials')
    return `OAuth client_credentials as "${server.oauth.clientId}" (a token is fetched on each start)`;
  const path = tokenFileOf(server, env);
  const state = readTokenFile(path)?.state;
  const issuers = Object.keys(state?.tokens ?? {});
  if (!state || issuers.length === 0) return `not signed in (mcp-bedrock auth login ${server.name})`;
  const current = state.current ?? issuers[0] ?? '';
  const tokens = state.tokens?.[current];
  const saved = statSync(path).mtime.toISOString();
  const refresh = tokens?.refresh_token ? 'with a refresh token' : 'without a refresh token';
  const scope = tokens?.scope ? `, scope "${tokens.scope}"` : '';
  return `signed in at ${current} (${refresh}${scope}; saved ${saved} in ${path})`;
}

/** Signs in to one server by connecting to it with the CLI's provider; resolves with the line to print. */
async function login(server: HttpServerConfig, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  const notice = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const before = readTokenFile(tokenFileOf(server, env))?.state?.tokens;
  const authProvider = providerFor(server, { mode: 'browser-or-paste', notice, env });
  const hub = new McpHub([{ ...server, authProvider }], { connectTimeoutMs: timeoutMs });
  try {
    await hub.start();
    const state = await hub.whenSettled(server.name);
    if (state.status !== 'connected') throw new CliError('OAUTH_SIGN_IN_FAILED', `${server.name}: ${state.error}`, 1);
    if (server.oauth?.grantType === 'client_credentials')
      return `${server.name}: client_credentials accepted (nothing is stored; each start fetches a token)`;
    const after = readTokenFile(tokenFileOf(server, env))?.state?.tokens;
    if (!after || Object.keys(after).length === 0) return `${server.name}: connected without a sign-in`;
    if (JSON.stringify(before) === JSON.stringify(after))
      return `${server.name}: already signed in (mcp-bedrock auth logout ${server.name} to sign in again)`;
    return `${server.name}: signed in (${state.tools.length} tools)`;
  } finally {
    await hub.close();
  }
}

/** Exit code 0; 1 when a sign-in failed; 2 for a bad action or server name. */
export async function authCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    argv,
    { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
    'auth',
  );
  if (values.help) {
    process.stdout.write(`${HELP['auth']}\n`);
    return 0;
  }
  const [action = 'status', name, ...extra] = positionals;
  if (!['login', 'logout', 'status'].includes(action))
    throw new CliError('CLI_BAD_OPTION', `unknown auth action "${action}": use login, logout or status`);
  if (extra.length > 0) throw new CliError('CLI_BAD_OPTION', `auth ${action} takes one server name at most`);
  const env = process.env;
  const named = values.config ?? env['MCP_BEDROCK_CONFIG'];
  const { servers, source } = await resolveConfig(named, { cwd: process.cwd(), env, packageRoot: packageRoot() });
  const out = (text: string): void => {
    process.stdout.write(`${text}\n`);
  };
  if (name !== undefined && !servers.some((s) => s.name === name))
    throw new CliError(
      'CLI_BAD_OPTION',
      `no MCP server "${name}" in ${describeSource(source)} ` +
        `(servers: ${servers.map((s) => s.name).join(', ') || 'none'})`,
    );
  const chosen = servers.filter((s) => name === undefined || s.name === name);
  if (action === 'status') {
    for (const server of chosen) out(`${server.name}: ${describeAuth(server, env)}`);
    return 0;
  }
  const oauth = chosen.filter(usesOAuth);
  if (oauth.length === 0) {
    const why =
      name === undefined
        ? 'no server of this config'
        : `"${name}" does not: it uses ${describeAuth(chosen[0] as ServerConfig, env)}`;
    throw new CliError(
      'CLI_BAD_OPTION',
      `auth ${action}: only HTTP servers without their own credentials sign in; ${why}`,
    );
  }
  if (action === 'logout') {
    for (const server of oauth)
      out(
        removeTokenFile(tokenFileOf(server, env))
          ? `${server.name}: signed out (its tokens were deleted)`
          : `${server.name}: was not signed in`,
      );
    return 0;
  }
  let failed = 0;
  for (const server of oauth) {
    try {
      out(await login(server, env, DEFAULT_CONNECT_TIMEOUT_MS));
    } catch (error) {
      failed++;
      process.stderr.write(`mcp-bedrock: ${(error as Error).message}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}
