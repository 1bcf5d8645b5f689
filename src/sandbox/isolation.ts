/** How the sandbox child is spawned: Node's permission model, no code generation from strings, no network. */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let unshareWorks: boolean | undefined;

/** A private network namespace (`unshare -rn`) needs unprivileged user namespaces; probe once. */
export function networkIsolationAvailable(): boolean {
  unshareWorks ??= spawnSync('unshare', ['-rn', 'true'], { stdio: 'ignore' }).status === 0;
  return unshareWorks;
}

export function pyodideDir(): string {
  return dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
}

export interface SpawnPlan {
  command: string;
  args: string[];
  isolatedNetwork: boolean;
}

export function spawnPlan(runner: string, packageJson: string, maxOldSpaceMb = 256): SpawnPlan {
  const node = [
    '--experimental-permission',
    `--allow-fs-read=${join(pyodideDir(), '*')}`,
    `--allow-fs-read=${runner}`,
    // Node reads the package.json above the runner to learn it is an ES module.
    `--allow-fs-read=${packageJson}`,
    '--disallow-code-generation-from-strings',
    `--max-old-space-size=${maxOldSpaceMb}`,
    '--no-warnings',
    runner,
  ];
  if (networkIsolationAvailable())
    return { command: 'unshare', args: ['-rn', process.execPath, ...node], isolatedNetwork: true };
  return { command: process.execPath, args: node, isolatedNetwork: false };
}
