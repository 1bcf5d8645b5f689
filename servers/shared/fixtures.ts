/** Locates the package's `fixtures/` folder from both the TypeScript sources and the compiled `dist/` files. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function fixturesPath(...parts: string[]): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures')))
      return join(dir, 'fixtures', ...parts);
  }
  throw new Error(`cannot find the fixtures folder above ${fileURLToPath(import.meta.url)}`);
}
