/**
 * Builds dist/ once before the suite so tests can spawn the real compiled entries (stdio servers, CLI),
 * exactly as users run them. `npm test` builds too; this makes a bare `npx vitest run` behave the same.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export default function setup(): void {
  const require = createRequire(import.meta.url);
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
