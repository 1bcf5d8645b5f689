/**
 * The environment a stdio MCP server starts with. Like the MCP SDK's default it does not pass the host's whole
 * environment (secrets stay out of servers that did not ask for them), but it adds what makes a server behave as
 * it does when a host such as Claude Desktop starts it from the same user session: the XDG base directories (a
 * server keeps its data where `XDG_DATA_HOME` says), the temporary directory and the locale.
 */
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';

/** Variables passed through in addition to the SDK's defaults (HOME, LOGNAME, PATH, SHELL, TERM, USER). */
export const PASSED_ENVIRONMENT = [
  'XDG_DATA_HOME',
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  'XDG_STATE_HOME',
  'XDG_RUNTIME_DIR',
  'TMPDIR',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
] as const;

/** The SDK's default environment, the variables above from `parent`, then the server's own `env` on top. */
export function serverEnvironment(
  own: Record<string, string> = {},
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = getDefaultEnvironment();
  for (const key of PASSED_ENVIRONMENT) {
    const value = parent[key];
    if (value !== undefined && !value.startsWith('()')) env[key] = value;
  }
  return { ...env, ...own };
}
