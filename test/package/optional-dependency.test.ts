import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isMissingPackage, loadOptional } from '../../src/optional-dependency.js';

/** Runs `code` in plain Node against the built module, where `import()` fails as it does for users. */
function inNode(code: string): string {
  const module = pathToFileURL(join(process.cwd(), 'dist', 'src', 'optional-dependency.js')).href;
  const script = `import { loadOptional } from ${JSON.stringify(module)};\n${code}`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
}

describe('optional peer dependencies', () => {
  it('names the missing package and the command that installs it on first use', () => {
    const out = inNode(`
      try {
        const load = () => import('mcp-bedrock-no-such-package');
        await loadOptional('mcp-bedrock-no-such-package', 'Saved sessions (--session)', load);
      } catch (error) {
        console.log(JSON.stringify({ code: error.code, packageName: error.packageName, message: error.message }));
      }`);
    expect(JSON.parse(out)).toEqual({
      code: 'DEPENDENCY_MISSING',
      packageName: 'mcp-bedrock-no-such-package',
      message:
        'Saved sessions (--session) needs the package mcp-bedrock-no-such-package, which is ' +
        'not installed: run npm install mcp-bedrock-no-such-package',
    });
  });

  it('passes other failures through, including a missing file inside an installed package', async () => {
    const inside = Object.assign(
      new Error("Cannot find module '/app/node_modules/pg/lib/gone.js' imported from /app"),
      {
        code: 'ERR_MODULE_NOT_FOUND',
      },
    );
    expect(isMissingPackage(inside, 'pg')).toBe(false);
    const broken = new Error('boom');
    await expect(loadOptional('pg', 'PostgreSQL', () => Promise.reject(broken))).rejects.toBe(broken);
    expect(await loadOptional('zod', 'Validation', () => import('zod'))).toHaveProperty('z');
  });
});
