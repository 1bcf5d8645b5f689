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
        elicitation: false,
      },
      {
        name: 'remote',
        transport: 'sse',
        url: 'https://mcp.example.com/sse',
        headers: {},
        sampling: true,
        elicitation: false,
      },
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
          "api": {
            "type": "http",
            "url": "https://api.example.com/mcp",
            "headers": { "Authorization": "Bearer \${TOKEN}" },
          },
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
        elicitation: false,
      },
      {
        name: 'api',
        transport: 'http',
        url: 'https://api.example.com/mcp',
        headers: { Authorization: 'Bearer t0k' },
        sampling: false,
        elicitation: false,
      },
    ]);
  });

  it('reads the mcp.servers block of a VS Code settings.json', () => {
    const servers = parseMcpConfig('{ "editor.fontSize": 14, "mcp": { "servers": { "a": { "command": "x" } } } }');
    expect(servers.map((s) => s.name)).toEqual(['a']);
  });

  it('rejects unknown keys and bad values, OAuth and SigV4 ones too, naming the file, the server and the field', () => {
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
    expect(error('{ "mcpServers": { "a": { "url": "https://x.example", "oauth": { "clientID": "c" } } } }')).toContain(
      'server "a": unknown key "clientID" in "oauth"',
    );
    expect(error('{ "mcpServers": { "a": { "url": "https://x.example", "auth": { "type": "sigv4" } } } }')).toContain(
      'server "a": "auth": expected {"type": "sigv4", "service": "bedrock-agentcore"',
    );
    expect(
      error(
        '{ "mcpServers": { "a": { "url": "https://x.example", "oauth": { "grantType": "client_credentials" } } } }',
      ),
    ).toContain('server "a": "oauth": "client_credentials" needs "clientId" and "clientSecret"');
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

  it("reads OAuth (ours, VS Code's, Cursor's), SigV4, elicitation consent and the protocol era", () => {
    const [ours, cursor, agentcore, local] = parseMcpConfig(
      JSON.stringify({
        mcpServers: {
          linear: {
            url: 'https://mcp.linear.example/mcp',
            oauth: { clientId: 'abc', scopes: ['read'], clientMetadataUrl: 'https://me.example/client.json' },
            elicitation: true,
          },
          cursor: { url: 'https://c.example/mcp', auth: { CLIENT_ID: 'id', CLIENT_SECRET: 'secret' } },
          gateway: {
            url: 'https://g.gateway.bedrock-agentcore.us-west-2.amazonaws.com/mcp',
            auth: { type: 'sigv4', service: 'bedrock-agentcore', profile: 'work' },
            protocol: '2026-07-28',
          },
          local: { command: 'x' },
        },
      }),
    );
    expect(ours).toMatchObject({
      oauth: { clientId: 'abc', scopes: ['read'], clientMetadataUrl: 'https://me.example/client.json' },
      elicitation: true,
    });
    expect(cursor).toMatchObject({ oauth: { clientId: 'id', clientSecret: 'secret' }, elicitation: false });
    expect(agentcore).toMatchObject({
      sigv4: { service: 'bedrock-agentcore', profile: 'work' },
      protocol: '2026-07-28',
    });
    expect(agentcore).not.toHaveProperty('oauth');
    expect(local).toMatchObject({ elicitation: false, sampling: false });
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
