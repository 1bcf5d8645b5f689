/** With no config file, the four bundled servers, run from the compiled package. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StdioServerConfig } from '../../bridge/index.js';

/** The MCP servers this package ships (`mcp-bedrock serve <name>`). */
export const BUNDLED_SERVERS = ['orders', 'radio', 'expenses', 'utilities'] as const;

/** The bundled servers that were built, as stdio entries; `extraArgs` adds command-line options per server. */
export function defaultServers(
  packageRoot: string,
  extraArgs: Partial<Record<string, string[]>> = {},
): StdioServerConfig[] {
  // Only servers that were built: a partial build still gives a working CLI.
  const built = BUNDLED_SERVERS.filter((name) => existsSync(join(packageRoot, 'dist', 'servers', name, 'main.js')));
  return built.map((name) => ({
    name,
    transport: 'stdio' as const,
    command: process.execPath,
    args: [join(packageRoot, 'dist', 'servers', name, 'main.js'), ...(extraArgs[name] ?? [])],
    sampling: false,
  }));
}
