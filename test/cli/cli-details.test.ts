/**
 * The CLI's smaller promises: quiet EPIPE, options each command really takes (with suggestions for typos),
 * exit code 2 for bad input, servers that share the user's data folder, denied calls shown as denied, tool
 * counts after allow-lists, cost in run --json and /usage, and `models` served by the emulator.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { CLI, EVERYTHING } from '../support/processes.js';

let emulator: Emulator;
let home: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  home = mkdtempSync(join(tmpdir(), 'cli-details-'));
});
afterAll(() => emulator?.close());

const env = (): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '',
  HOME: home,
  XDG_DATA_HOME: join(home, 'data'),
});

/** Runs the CLI without blocking this process (the emulator answers from it). */
function cli(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: home, env: env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

describe('options and exit codes', () => {
  it('suggests the option meant, and rejects options a command would ignore', async () => {
    const typo = await cli(['run', '--modle', 'x', 'hi']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown option --modle. Did you mean --model?');
    const chatJson = await cli(['chat', '--json']);
    expect(chatJson.code).toBe(2);
    expect(chatJson.stderr).toContain('chat does not take --json');
    const toolsSystem = await cli(['tools', '--system', 'x']);
    expect(toolsSystem.stderr).toContain('tools does not take --system');
    for (const command of ['emulator', 'gateway', 'web']) {
      const port = await cli([command, '--port', '1.5']);
      expect({ command, code: port.code, stderr: port.stderr }).toMatchObject({ command, code: 2 });
      expect(port.stderr).toContain('--port expects a whole number');
    }
    const webSession = await cli(['web', '--session', 'x']);
    expect(webSession.code).toBe(2);
    expect(webSession.stderr).toContain('web does not take --session');
  });

  it('help texts list exactly what each command takes', async () => {
    const tools = (await cli(['tools', '--help'])).stdout;
    expect(tools).toContain('--json');
    expect(tools).not.toContain('--system');
    expect(tools).not.toContain('--max-turns');
    expect((await cli(['run', '--help'])).stdout).toContain('--database-url');
    expect((await cli(['chat', '--help'])).stdout).toContain('/call SERVER TOOL {json}');
    const web = (await cli(['web', '--help'])).stdout;
    for (const option of ['--config FILE', '--connect-timeout', '--yes', '--database-url', '--verbose'])
      expect(web).toContain(option);
    expect(web).not.toContain('-s, --session');
  });

  it('rejects a --code-mode naming no server or tool, and an unknown --profile, with exit code 2', async () => {
    const code = await cli(['run', '--endpoint', emulator.url, '--code-mode', 'nosuch', 'hi']);
    expect(code.code).toBe(2);
    expect(code.stderr).toContain('--code-mode: no MCP server "nosuch" (servers: orders, radio, expenses, utilities)');
    const file = join(home, 'aws-config');
    writeFileSync(file, '[default]\nregion = us-east-1\n[profile dev]\nregion = us-west-2\n');
    const profile = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'run', '--profile', 'devv', 'hi'], {
        cwd: home,
        env: { ...env(), AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: join(home, 'none') },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (c) => resolve({ code: c, stderr }));
    });
    expect(profile.code).toBe(2);
    expect(profile.stderr).toContain(
      '--profile "devv" is not in ~/.aws/config or ~/.aws/credentials (did you mean "dev"?)',
    );
  });

  it('exits quietly when its reader goes away (tools | head -1)', () => {
    const piped = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" tools | head -1`], {
      cwd: home,
      env: env(),
      encoding: 'utf8',
    });
    expect(piped.stdout.split('\n')).toHaveLength(2);
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
  });
});

describe('servers, tools and costs', () => {
  it(
    "starts the orders server with the user's XDG_DATA_HOME, so it " + 'uses the same database as `serve orders`',
    async () => {
      await cli(['run', '--endpoint', emulator.url, '--json', 'my order is 14826']);
      expect(existsSync(join(home, 'data', 'mcp-bedrock', 'orders.sqlite'))).toBe(true);
    },
  );

  it('shows a denied call as denied, never as a call that ran', async () => {
    const denied = await cli(['run', '--endpoint', emulator.url, 'Please cancel order 13579']);
    expect(denied.stderr).toContain('⊘ orders › cancel_order {"order_id":"13579"} denied:');
    expect(denied.stderr).not.toContain('→ orders › cancel_order');
  });

  it('counts the tools an allow-list leaves, and says one tool, not "1 tools"', async () => {
    const config = join(home, 'allow.json');
    writeFileSync(
      config,
      JSON.stringify({
        mcpServers: {
          everything: { command: process.execPath, args: [EVERYTHING, 'stdio'], tools: { allow: ['echo', 'get-sum'] } },
        },
      }),
    );
    const listed = await cli(['tools', '-c', config]);
    expect(listed.stdout).toMatch(
      /everything: connected, 2 tools \(\d+ of \d+ hidden by the config's allow\/deny lists\)/,
    );
    expect(listed.stdout).toContain('2 tools sent');
    const one = join(home, 'one.json');
    writeFileSync(
      one,
      JSON.stringify({
        mcpServers: {
          everything: { command: process.execPath, args: [EVERYTHING, 'stdio'], tools: { allow: ['echo'] } },
        },
      }),
    );
    const single = (await cli(['tools', '-c', one])).stdout;
    expect(single).toMatch(/everything: connected, 1 tool \(/);
    expect(single).toContain('1 tool sent');
    expect(single).not.toMatch(/\b1 tools\b/);
  });

  it('prices run --json and /usage from the dated table, and a --prices file overrides it', async () => {
    const json = JSON.parse(
      (await cli(['run', '--endpoint', emulator.url, '--json', 'What is the top song on WZPZ?'])).stdout,
    ) as { usage: Usage; cost: { total: number; priced: string; priceDate: string } };
    expect(json.cost.priced).toBe('anthropic.claude-sonnet-4-5');
    const { inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens } = json.usage;
    // The bundled tools and system prompt are cached by default: their reads and writes have prices of their own.
    expect(cacheReadInputTokens + cacheWriteInputTokens).toBeGreaterThan(0);
    const expected = inputTokens * 3 + outputTokens * 15 + cacheReadInputTokens * 0.3 + cacheWriteInputTokens * 3.75;
    expect(json.cost.total).toBeCloseTo(expected / 1e6, 9);
    const prices = join(home, 'prices.json');
    writeFileSync(
      prices,
      JSON.stringify({ date: '2030-01-01', models: { 'anthropic.claude-sonnet-4-5': { input: 1, output: 1 } } }),
    );
    const cheap = JSON.parse(
      (await cli(['run', '--endpoint', emulator.url, '--prices', prices, '--json', 'What is the top song on WZPZ?']))
        .stdout,
    ) as { usage: Usage; cost: { total: number; priceDate: string } };
    expect(cheap.cost.priceDate).toBe('2030-01-01');
    // Without cache prices in the file, cached tokens cost the input price.
    const u = cheap.usage;
    const all = u.inputTokens + u.outputTokens + u.cacheReadInputTokens + u.cacheWriteInputTokens;
    expect(cheap.cost.total).toBeCloseTo(all / 1e6, 9);
    const chat = await cli(['chat', '--endpoint', emulator.url], 'What is the top song on WZPZ?\n/usage\n/exit\n');
    expect(chat.stdout).toMatch(/estimated cost \$\d+\.\d+ \(anthropic\.claude-sonnet-4-5 prices of 2025-10-01\)/);
    expect(chat.stdout).toContain('no MCP config found: using the bundled demo servers');
  });

  it('lists models and inference profiles from the emulator, marking tool use and streaming tool use', async () => {
    const listed = await cli(['models', '--endpoint', emulator.url, '--json']);
    expect(listed.code).toBe(0);
    const models = (
      JSON.parse(listed.stdout) as {
        models: { id: string; kind: string; toolUse: string; streamingToolUse: boolean }[];
      }
    ).models;
    expect(models.find((m) => m.id === 'us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toMatchObject({
      kind: 'profile',
      toolUse: 'native',
      streamingToolUse: true,
    });
    expect(models.find((m) => m.id === 'meta.llama3-70b-instruct-v1:0')).toMatchObject({ toolUse: 'prompt' });
    expect(models.find((m) => m.id === 'mistral.mistral-large-2407-v1:0')).toMatchObject({
      toolUse: 'native',
      streamingToolUse: false,
    });
    const table = await cli(['models', '--endpoint', emulator.url, '--provider', 'Anthropic']);
    expect(table.stdout).toMatch(/anthropic\.claude-sonnet-4-5-20250929-v1:0 +yes, streaming +\$3 \/ \$15/);
    expect(table.stdout).not.toContain('amazon.nova');
  });

  it('says how to get credentials, or to ask the emulator, when models has none', async () => {
    const none = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'models'], {
        cwd: home,
        // No instance-metadata lookup: on a cloud machine it would find that machine's role and call Bedrock.
        env: { ...env(), AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: join(home, 'none') },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Bedrock us-east-1: Could not load credentials from any providers. Configure');
    expect(none.stderr).toContain('[CREDENTIALS_MISSING]');
    expect(none.stderr).toContain('add --endpoint http://127.0.0.1:8787');
  });
});
