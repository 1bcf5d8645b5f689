/** With no config file, the four bundled servers, run from the compiled package. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfiguredServer } from './load-config.js';

export const BUNDLED_SERVERS = ['orders', 'radio', 'expenses', 'utilities'] as const;

export function defaultServers(
  packageRoot: string,
  extraArgs: Partial<Record<string, string[]>> = {},
): ConfiguredServer[] {
  // Only servers that were built: a partial build still gives a working CLI.
  const built = BUNDLED_SERVERS.filter((name) => existsSync(join(packageRoot, 'dist', 'servers', name, 'main.js')));
  return built.map((name) => ({
    name,
    transport: 'stdio' as const,
    command: process.execPath,
    args: [join(packageRoot, 'dist', 'servers', name, 'main.js'), ...(extraArgs[name] ?? [])],
    policy: { approval: 'destructive' as const },
  }));
}
