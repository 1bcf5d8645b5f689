/**
 * `--record DIR` on the commands that call Bedrock (run, gateway) and `emulator --replay DIR`, through the built
 * CLI with no AWS credentials in the environment: a loopback upstream or endpoint needs none.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { bareEnv, runCli, serveCli } from '../support/cli-process.js';
import { TOP_SONG } from '../support/top-song.js';

let emulator: Emulator;
let home: string;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  home = mkdtempSync(join(tmpdir(), 'record-cli-'));
});
afterAll(async () => {
  await emulator.close();
  rmSync(home, { recursive: true, force: true });
});

const PROMPT = 'What is the most popular song on WZPZ?';

it('run --record writes the conversation, and run against emulator --replay answers the same', async () => {
  const dir = join(home, 'run');
  const env = bareEnv(home);
  const live = await runCli(['run', '--endpoint', emulator.url, '--record', dir, '--json', PROMPT], env);
  expect(live.code).toBe(0);
  // Two model calls (the tool call, then the answer), one file each.
  expect(readdirSync(dir)).toHaveLength(2);
  const replay = await serveCli(['emulator', '--port', '0', '--replay', dir], env);
  const again = await runCli(['run', '--endpoint', replay.url, '--json', PROMPT], env);
  await replay.stop();
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout).text).toBe(JSON.parse(live.stdout).text);
  expect(JSON.parse(again.stdout).text).toBe('The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.');
});

it('gateway --record against a loopback upstream needs no AWS credentials', async () => {
  const dir = join(home, 'gateway');
  const gateway = await serveCli(
    ['gateway', '--no-mcp', '--port', '0', '--upstream', emulator.url, '--record', dir],
    bareEnv(home),
  );
  const client = new BedrockRuntimeClient({
    endpoint: gateway.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'client', secretAccessKey: 'client' },
    maxAttempts: 1,
  });
  const answer = await client.send(
    new ConverseCommand({
      modelId: 'cohere.command-r-v1:0',
      messages: [{ role: 'user', content: [{ text: PROMPT }] }],
      toolConfig: { tools: [TOP_SONG] },
    }),
  );
  client.destroy();
  await gateway.stop();
  expect(answer.stopReason).toBe('tool_use');
  expect(readdirSync(dir)).toEqual([expect.stringMatching(/^0001-converse-cohere\.command-r-v1_0\.json$/)]);
});

it('emulator --replay names the file and field of a bad recording, and a missing folder', async () => {
  const dir = join(home, 'bad');
  mkdirSync(dir);
  writeFileSync(join(dir, '0001-converse-x.json'), JSON.stringify({ format: 'mcp-bedrock-recording/1', modelId: '' }));
  const bad = await runCli(['emulator', '--replay', dir], bareEnv(home));
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain(`${join(dir, '0001-converse-x.json')}: not a mcp-bedrock-recording/1 file:`);
  expect(bad.stderr).toContain('modelId: Too small');
  const missing = await runCli(['emulator', '--replay', join(home, 'missing')], bareEnv(home));
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain(`${join(home, 'missing')}: cannot read the recordings folder`);
});
