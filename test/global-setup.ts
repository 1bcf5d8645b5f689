/**
 * Tests run the package as it ships: the compiled library in dist/, the bundled CLI and servers. `npm test` builds
 * first; a bare `npx vitest run` gets the same `npm run build` here when dist/ is missing or older than a source
 * file, and otherwise leaves the built files alone (re-running tsc alone would replace the bundles with tsc's
 * unbundled output, so the bundles users run would go untested).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = [
  'bridge',
  'src',
  'servers',
  'bench',
  '.ci/bundle.mjs',
  '.ci/bundle-web.mjs',
  'package.json',
  'tsconfig.json',
];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), 0);
}

export default function setup(): void {
  const built = join('dist', 'src', 'cli', 'main.js');
  const stale = !existsSync(built) || SOURCES.some((source) => newestMtime(source) > statSync(built).mtimeMs);
  if (stale) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
}
