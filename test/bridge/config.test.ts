import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadMcpConfig, needsApprovalFor, parseMcpConfig } from '../../bridge/entries/config.js';
import type { ToolDescriptor } from '../../bridge/index.js';

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'config-'));
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('loadMcpConfig', () => {
  it('reads a Claude Desktop file into ServerConfig entries, sampling off unless opted in', async () => {
    const file = tempFile(
      'claude_desktop_config.json',
      JSON.stringify({
        globalShortcut: 'Ctrl+Space',
        mcpServers: {
          everything: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'], env: { A: '1' } },
          remote: { type: 'sse', url: 'https://mcp.example.com/sse', sampling: true },
        },
      }),
    );
    expect(await loadMcpConfig(file)).toEqual([
      {
        name: 'everything',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-everything'],
        env: { A: '1' },
        sampling: false,
      },
      { name: 'remote', transport: 'sse', url: 'https://mcp.example.com/sse', headers: {}, sampling: true },
    ]);
  });

  it('reads VS Code mcp.json with comments, variables, envFile and the bridge keys', async () => {
    const file = tempFile(
      join('.vscode', 'mcp.json'),
      `{
        // VS Code workspace servers
        "inputs": [],
        "servers": {
          "tools": {
            "type": "stdio",
            "command": "\${env:NODE_BIN:-node}",
            "args": ["\${workspaceFolder}/server.js", "\${userHome}"],
            "envFile": "\${workspaceFolder}/.env",
            "env": { "B": "from-env" },
            "tools": { "deny": ["delete_*"] },
            "approval": "always",
            "codeMode": true,
            "dev": { "watch": "src/**/*.ts" },
          },
          "off": { "command": "nope", "disabled": true },
          "api": { "type": "http", "url": "https://api.example.com/mcp", "headers": { "Authorization": "Bearer \${TOKEN}" } },
        },
      }`,
    );
    const workspace = join(file, '..', '..');
    writeFileSync(join(workspace, '.env'), 'A=from-file\nB=overridden\n');
    const servers = await loadMcpConfig(file, { env: { TOKEN: 't0k' } });
    expect(servers).toEqual([
      {
        name: 'tools',
        transport: 'stdio',
        command: 'node',
        args: [`${workspace}/server.js`, homedir()],
        env: { A: 'from-file', B: 'from-env' },
        tools: { deny: ['delete_*'] },
        approval: 'always',
        codeMode: true,
        sampling: false,
      },
      {
        name: 'api',
        transport: 'http',
        url: 'https://api.example.com/mcp',
        headers: { Authorization: 'Bearer t0k' },
        sampling: false,
      },
    ]);
  });

  it('reads the mcp.servers block of a VS Code settings.json', () => {
    const servers = parseMcpConfig('{ "editor.fontSize": 14, "mcp": { "servers": { "a": { "command": "x" } } } }');
    expect(servers.map((s) => s.name)).toEqual(['a']);
  });

  it('rejects unknown keys, unsupported OAuth and bad values, naming the file, the server and the field', () => {
    const file = '/configs/mcp.json';
    const error = (text: string) => {
      try {
        parseMcpConfig(text, { file });
      } catch (thrown) {
        expect(thrown).toBeInstanceOf(ConfigError);
        expect((thrown as ConfigError).code).toBe('CONFIG_INVALID');
        return (thrown as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(error('{ "mcpServers": { "a": { "command": "x", "argz": [] } } }')).toContain(
      `${file}: server "a": unknown key "argz" (did you mean "args"?); known keys: type, command, args,`,
    );
    expect(error('{ "mcpServers": { "a": { "url": "https://x.example", "oauth": { "clientId": "c" } } } }')).toContain(
      'server "a": "oauth": OAuth ("oauth") is not supported',
    );
    expect(error('{ "mcpServers": { "a": { "command": "x", "approval": "sometimes" } } }')).toContain(
      '"approval": expected "always", "never" or "destructive"',
    );
    expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax, not a template
      error('{ "mcpServers": { "a": { "command": "x", "env": { "K": "${UNSET_VARIABLE_FOR_TEST}" } } } }'),
    ).toContain('server "a": "env.K": environment variable UNSET_VARIABLE_FOR_TEST is not set');
    expect(error('{ "mcpServers": { "a": { "command": "x", "envFile": "missing.env" } } }')).toContain(
      'server "a": "envFile": cannot read',
    );
    expect(error('{ "tools": [] }')).toContain(`${file}: expected an object with "mcpServers"`);
    expect(error('{ "mcpServers": { "a": ')).toMatch(/mcp\.json:1:\d+: invalid JSON/);
  });

  it('names the file it cannot read', async () => {
    await expect(loadMcpConfig('/nonexistent/mcp.json')).rejects.toThrow(
      '/nonexistent/mcp.json: cannot read the config file (ENOENT)',
    );
  });
});

describe('needsApprovalFor', () => {
  const tool = (server: string, annotations: ToolDescriptor['annotations'] = {}): ToolDescriptor => ({
    name: `${server}_tool`,
    server,
    tool: 'tool',
    description: '',
    inputSchema: {},
    annotations,
  });

  it("follows each server's approval setting, and MCP's destructive default elsewhere", () => {
    const needs = needsApprovalFor(
      parseMcpConfig(
        JSON.stringify({
          mcpServers: {
            strict: { command: 'x', approval: 'always' },
            trusted: { command: 'x', approval: 'never' },
            usual: { command: 'x' },
          },
        }),
      ),
    );
    expect(needs(tool('strict', { readOnlyHint: true }))).toBe(true);
    expect(needs(tool('trusted'))).toBe(false);
    expect(needs(tool('usual'))).toBe(true);
    expect(needs(tool('usual', { readOnlyHint: true }))).toBe(false);
    expect(needs(tool('unlisted', { destructiveHint: false }))).toBe(false);
  });
});
