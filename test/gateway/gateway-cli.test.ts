/**
 * `mcp-bedrock gateway` as users start it: a loopback upstream needs no AWS credentials (none in the environment,
 * an empty HOME), keys come from a file, and `--key` on the command line is refused with the reason.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
let emulator: Emulator;
let home: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // Bedrock's auth checks on: the gateway must sign its requests, with placeholder credentials.
  emulator = await startEmulator({ port: 0, requireAuth: true });
  home = mkdtempSync(join(tmpdir(), 'gateway-home-'));
});
afterAll(async () => {
  for (const child of children) child.kill();
  await emulator.close();
});

/** Starts the gateway command with no AWS configuration at all; resolves with its URL or its failure. */
function gateway(args: string[]): Promise<{ url?: string; code?: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'gateway', '--port', '0', ...args], {
      env: { PATH: process.env['PATH'] ?? '', HOME: home, XDG_DATA_HOME: join(home, 'data') },
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const url = /Bedrock gateway on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve({ url, stderr });
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function ask(url: string, text: string, credentials = { accessKeyId: 'x', secretAccessKey: 'x' }) {
  const client = new BedrockRuntimeClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    return await client.send(
      new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text }] }] }),
    );
  } finally {
    client.destroy();
  }
}

describe('mcp-bedrock gateway', () => {
  it('needs no AWS credentials for a loopback upstream, relayed and with MCP tools', async () => {
    for (const args of [['--no-mcp'], []]) {
      const started = await gateway(['--upstream', emulator.url, ...args]);
      expect(started.url, started.stderr).toBeDefined();
      const answer = await ask(started.url as string, 'my order is 14826');
      const text = answer.output?.message?.content?.[0]?.text ?? '';
      if (args.length === 0) expect(text).toContain('Márcia Oliveria');
      else expect(answer.stopReason).toBeDefined();
    }
    expect(emulator.requests.every((r) => r.error === undefined)).toBe(true);
  });

  it('takes client keys from a file and refuses --key on the command line', async () => {
    const file = join(home, 'keys.json');
    const pair = { accessKeyId: 'AKIACLIKEYS0000001', secretAccessKey: 'cli-secret-0123456789abcdef' };
    writeFileSync(file, JSON.stringify({ accessKeys: [pair] }), { mode: 0o600 });
    const started = await gateway(['--upstream', emulator.url, '--no-mcp', '--keys', file]);
    expect((await ask(started.url as string, 'I need help with an order', pair)).stopReason).toBe('end_turn');
    await expect(ask(started.url as string, 'hi')).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const refused = await gateway(['--key', 'ABSKsomething']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--key is gone: a key on the command line is visible to every local user in ps');
  });
});
