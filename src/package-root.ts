/** Finds the installed package's root (where package.json, dist/ and fixtures/ live) from compiled or source files. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'mcp-bedrock-bridge'
    ) {
      cached = dir;
      return dir;
    }
  }
  throw new Error(`cannot find the mcp-bedrock-bridge package root above ${fileURLToPath(import.meta.url)}`);
}

/** The compiled entry of a bundled MCP server. */
export function serverEntry(name: string): string {
  return join(packageRoot(), 'dist', 'servers', name, 'main.js');
}

/** A path under the package's fixtures folder. */
export function fixturesPath(...parts: string[]): string {
  return join(packageRoot(), 'fixtures', ...parts);
}
