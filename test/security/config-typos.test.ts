/**
 * A typo in a config entry must not be silently ignored: `"tool": {"deny": [...]}` left the tool the user meant
 * to hide in the model's hands. Unknown keys are errors naming the file, the server and the key, with a
 * suggestion; keys VS Code writes (and that change nothing here) are accepted.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMcpConfig } from '../../bridge/entries/config.js';

async function load(entry: object): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'typo-')), 'mcp.json');
  writeFileSync(file, JSON.stringify({ mcpServers: { orders: entry } }));
  try {
    await loadMcpConfig(file, { env: {}, cwd: '/' });
    return 'accepted';
  } catch (error) {
    return (error as Error).message.replace(file, 'FILE');
  }
}

describe('config typos', () => {
  it.each([
    [{ command: 'x', tool: { deny: ['cancel_order'] } }, 'unknown key "tool" (did you mean "tools"?)'],
    [{ command: 'x', disable: true }, 'unknown key "disable" (did you mean "disabled"?)'],
    [{ command: 'x', aproval: 'always' }, 'unknown key "aproval" (did you mean "approval"?)'],
    [{ command: 'x', tools: { deni: ['cancel_order'] } }, 'unknown key "deni" in "tools" (did you mean "deny"?)'],
    [{ url: 'https://x.example/mcp', header: {} }, 'unknown key "header" (did you mean "headers"?)'],
  ])('rejects %j naming the file, server and key', async (entry, message) => {
    const error = await load(entry);
    expect(error).toContain('FILE: server "orders": ');
    expect(error).toContain(message);
  });

  it("accepts VS Code's keys that change nothing here", async () => {
    expect(
      await load({ command: 'x', type: 'stdio', dev: { watch: '**/*.ts' }, gallery: true, version: '1.0.0' }),
    ).toBe('accepted');
  });
});
