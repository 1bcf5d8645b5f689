/**
 * `mcp-bedrock tools` (the built CLI) over a server whose tools carry the schema defects of
 * docs/schema-translation.md: it finishes, lists every tool, and names each schema change by tool and parameter.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
let config: string;
let home: string;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'schema-cli-'));
  home = join(dir, 'home');
  config = join(dir, 'mcp.json');
  const fixtures = join(process.cwd(), 'fixtures', 'mcp-tools');
  writeFileSync(
    config,
    JSON.stringify({
      mcpServers: {
        defects: {
          command: process.execPath,
          args: [join(fixtures, 'serve-tools.mjs'), join(fixtures, 'schema-defects.json')],
        },
      },
    }),
  );
});

const tools = (...args: string[]) =>
  run(process.execPath, [CLI, 'tools', '--config', config, '--model', CLAUDE, ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: home },
  });

describe('mcp-bedrock tools with schema defects', () => {
  it('lists the tool whose colliding long keys once hung the compiler, and every other tool', async () => {
    const { stdout } = await tools();
    expect(stdout).toContain('defects: connected, 8 tools');
    expect(stdout).toContain('  list_audit_events\n');
    expect(stdout).toContain('8 tools sent');
    expect(stdout).toMatch(/^! tool batch_update_records, parameter "records\[\]\.tags": no longer accepts null/m);
    expect(stdout).toMatch(/^! tool manage_item, its input: its top-level anyOf\/oneOf\/allOf became one object/m);
  });

  it('reports each change by tool and parameter in --json', async () => {
    const { stdout } = await tools('--json');
    const listed = JSON.parse(stdout) as {
      tools: { name: string; sent: boolean }[];
      changes: { tool: string; parameter: string; kind: string; detail: string }[];
    };
    expect(listed.tools.find((t) => t.name === 'list_audit_events')).toMatchObject({ sent: true });
    expect(listed.changes).toContainEqual({
      tool: 'batch_update_records',
      parameter: 'records[].tags',
      kind: 'narrowed',
      detail: expect.stringContaining('Claude on Bedrock accepts at most 16 union-typed parameters per request'),
    });
    expect(listed.changes).toContainEqual(expect.objectContaining({ tool: 'query_replays', parameter: 'limit' }));
  });
});
