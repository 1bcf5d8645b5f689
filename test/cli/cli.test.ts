import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
let emulator: Emulator;
let home: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  home = mkdtempSync(join(tmpdir(), 'cli-home-'));
});
afterAll(() => emulator.close());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(
  args: string[],
  options: { input?: string; env?: Record<string, string>; onStdout?: (text: string, kill: () => void) => void } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env['PATH'] ?? '', HOME: home, XDG_DATA_HOME: join(home, 'data'), ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      options.onStdout?.(stdout, () => child.kill('SIGKILL'));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // With onStdout the test decides when the process ends, so stdin stays open after the input.
    if (options.onStdout) child.stdin.write(options.input ?? '');
    else child.stdin.end(options.input ?? '');
  });
}

const offline = () => ['--endpoint', emulator.url];

describe('mcp-bedrock CLI', () => {
  it('prints help for the program and each command', async () => {
    const main = await cli(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain('run "<prompt>"');
    const run = await cli(['run', '--help']);
    expect(run.stdout).toContain('--json');
    expect(run.stdout).toContain('Examples:');
  });

  it('answers one prompt as JSON through the emulator and the bundled servers', async () => {
    const result = await cli(['run', ...offline(), '--json', 'What is the most popular song on WZPZ?']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as {
      text: string;
      stopReason: string;
      toolCalls: { server: string; tool: string; status: string }[];
      usage: { totalTokens: number };
    };
    expect(json.text).toBe('The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.');
    expect(json.stopReason).toBe('end_turn');
    expect(json.toolCalls).toMatchObject([{ server: 'radio', tool: 'top_song', status: 'success' }]);
    expect(json.usage.totalTokens).toBeGreaterThan(0);
    // Nothing but answers on a clean run: not even the AWS SDK's Node-version notice.
    expect(result.stderr).toBe('');
  });

  it('explains how to fix missing AWS credentials, including the offline --endpoint', async () => {
    // No instance-metadata lookup either: on a cloud machine it would find that machine's role and call Bedrock.
    const result = await cli(['run', '--config', join(process.cwd(), 'fixtures', 'configs', 'radio-only.json'), 'hi'], {
      env: { AWS_EC2_METADATA_DISABLED: 'true' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('AWS_BEARER_TOKEN_BEDROCK');
    expect(result.stderr).toContain('[CREDENTIALS_MISSING]');
    // The SDK's sentence is ended before the hint starts.
    expect(result.stderr).toMatch(/\. Configure AWS credentials/);
    expect(result.stderr).toContain('--endpoint http://127.0.0.1:8787');
  });

  it('rejects bad options naming the option and what it expects', async () => {
    const turns = await cli(['run', '--max-turns', 'many', 'hi']);
    expect(turns.code).toBe(2);
    expect(turns.stderr).toContain('--max-turns expects a whole number');
    const unknown = await cli(['run', '--frobnicate', 'hi']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option --frobnicate.');
    const none = await cli(['run', ...offline()]);
    expect(none.stderr).toContain('run expects a prompt');
  });

  it('denies destructive tools in a non-interactive run unless --yes', async () => {
    const denied = await cli(['run', ...offline(), '--json', 'Please cancel order 13579']);
    const json = JSON.parse(denied.stdout) as { text: string; toolCalls: { tool: string; status: string }[] };
    expect(json.toolCalls.map((c) => `${c.tool}:${c.status}`)).toEqual([
      'get_order_by_id:success',
      'cancel_order:denied',
    ]);
    expect(json.text).toContain('rerun with --yes');
    const allowed = await cli(['run', ...offline(), '--yes', 'Please cancel order 13579']);
    expect(allowed.stdout).toContain('Order 13579 (2 × Smartphone Case) is now Cancelled.');
  });

  it('chats from a stdin script, shows tool calls, asks approval and honours a "no"', async () => {
    const chat = await cli(['chat', ...offline()], { input: 'Please cancel order 47652\nn\n/usage\n/exit\n' });
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('→ orders › get_order_by_id {"order_id":"47652"}');
    expect(chat.stdout).toContain('? allow orders › cancel_order {"order_id":"47652"} [y/N]');
    expect(chat.stdout).toContain('Order 47652 was not cancelled: The user denied this call to cancel_order');
    expect(chat.stdout).toMatch(/\d+ input \+ \d+ output tokens/);
    const check = await cli(['run', ...offline(), '--json', 'my order is 47652']);
    expect((JSON.parse(check.stdout) as { text: string }).text).toContain('status Processing');
  });

  it('resumes a saved session after the process was killed', async () => {
    await cli(['chat', ...offline(), '--session', 'support'], {
      input: 'I need help with an order\n',
      onStdout: (out, kill) => {
        // The next prompt appears once the turn is saved: kill the process there, as a crash would.
        if (/What is your order number\?[\s\S]*you › $/.test(out)) kill();
      },
    }).then(async (killed) => {
      expect(killed.code).toBeNull();
    });
    const resumed = await cli(['run', ...offline(), '--session', 'support', 'my order is 14826']);
    expect(resumed.stdout).toContain('Order 14826 for Márcia Oliveria (678902)');
    const list = await cli(['sessions', 'list']);
    expect(list.stdout).toMatch(/^support\t.*\t8 messages/m);
    const show = await cli(['sessions', 'show', 'support']);
    expect(show.stdout).toContain('user: I need help with an order');
    // The record carries every kind of token and the estimated cost.
    expect(show.stdout).toMatch(/input \+ \d+ output tokens \(cache read \d+, write \d+\).* · estimated cost \$\d/);
    const json = JSON.parse((await cli(['sessions', 'show', 'support', '--json'])).stdout) as {
      usage: Record<string, number>;
      cost: { total: number; cacheRead: number; cacheWrite: number };
    };
    expect(Object.keys(json.usage)).toEqual(expect.arrayContaining(['cacheReadInputTokens', 'cacheWriteInputTokens']));
    expect(json.cost.total).toBeGreaterThan(0);
    expect((await cli(['sessions', 'delete', 'support'])).stdout).toContain('deleted support');
  });

  it('runs the expense audit in code mode: the model writes Python that calls the expense tools', async () => {
    const result = await cli([
      'run',
      ...offline(),
      '--code-mode',
      'expenses',
      '--json',
      'Which engineers exceeded their Q3 travel budget?',
    ]);
    const json = JSON.parse(result.stdout) as {
      text: string;
      toolCalls: { name: string; status: string; codeMode: Record<string, number> }[];
    };
    expect(json.toolCalls).toMatchObject([{ name: 'execute_code', status: 'success' }]);
    // What the program kept out of the conversation: 17 expense tool results against its short output.
    const saved = json.toolCalls[0]?.codeMode;
    expect(saved?.['toolCalls']).toBeGreaterThan(1);
    expect(saved?.['resultTokens']).toBeGreaterThan(10 * (saved?.['outputTokens'] ?? 0));
    expect(saved?.['keptOutTokens']).toBe((saved?.['resultTokens'] ?? 0) - (saved?.['outputTokens'] ?? 0));
    expect(json.text).toContain('Alice Chen: 9876.54 spent');
    expect(json.text).toContain('Grace Taylor: 6474.46 spent');
  });

  it('loads a Claude Desktop config and a VS Code config with comments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-config-'));
    const radio = join(process.cwd(), 'dist', 'servers', 'radio', 'main.js');
    writeFileSync(
      join(dir, 'claude_desktop_config.json'),
      JSON.stringify({ mcpServers: { radio: { command: 'node', args: [radio], env: { SECRET_TOKEN: 'hunter2' } } } }),
    );
    const desktop = await cli(['tools', '--config', join(dir, 'claude_desktop_config.json')]);
    expect(desktop.code).toBe(0);
    expect(desktop.stdout).toContain('radio: connected, 1 tool\n');
    expect(desktop.stdout + desktop.stderr).not.toContain('hunter2');
    writeFileSync(
      join(dir, 'mcp.json'),
      `{\n  // VS Code workspace servers\n  "servers": {\n    "utilities": { "type": "stdio", "command": ` +
        `"\${env:NODE_BIN:-node}", "args": ` +
        `["${join(process.cwd(), 'dist', 'servers', 'utilities', 'main.js')}"], },\n    "off": { "command": ` +
        `"nope", "disabled": true },\n  },\n}\n`,
    );
    const vscode = await cli([
      'run',
      '--config',
      join(dir, 'mcp.json'),
      ...offline(),
      '--json',
      "How many P's and E's are in 'Peter piper picked a peck of pickled peppers', multiplied?",
    ]);
    expect((JSON.parse(vscode.stdout) as { text: string }).text).toContain('72');
  });

  it('offers MCP sampling only to servers whose config opts in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-sampling-'));
    const everything = {
      command: 'node',
      args: [
        join(process.cwd(), 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js'),
        'stdio',
      ],
    };
    writeFileSync(
      join(dir, 'mcp.json'),
      JSON.stringify({
        mcpServers: {
          opted: { ...everything, sampling: true, tools: { allow: ['trigger-sampling-request'] } },
          plain: everything,
        },
      }),
    );
    const listed = await cli(['tools', '--json', '--config', join(dir, 'mcp.json')]);
    const tools = (JSON.parse(listed.stdout) as { tools: { server: string; tool: string }[] }).tools;
    expect(tools.filter((t) => t.tool === 'trigger-sampling-request').map((t) => t.server)).toEqual(['opted']);
  });

  it('reports bad configs with the file, the server and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-bad-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ mcpServers: { radio: { args: ['x'] } } }));
    const missing = await cli(['run', '--config', file, 'hi']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${file}: server "radio": "command": expected the command to run`);
    writeFileSync(
      file,
      JSON.stringify({
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax, not a template
        mcpServers: { remote: { url: 'https://x.example/mcp', headers: { Authorization: 'Bearer ${API_TOKEN}' } } },
      }),
    );
    const unset = await cli(['run', '--config', file, 'hi']);
    expect(unset.stderr).toContain(
      'server "remote": "headers.Authorization": environment variable API_TOKEN is not set',
    );
    writeFileSync(file, '{ "mcpServers": { "a": { "command": "x" ');
    expect((await cli(['run', '--config', file, 'hi'])).stderr).toMatch(/bad\.json:1:\d+: invalid JSON/);
  });
});
