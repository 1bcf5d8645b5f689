/**
 * AWS's top_song example as Python users run it: unmodified boto3 against the built `mcp-bedrock emulator`, with
 * only `endpoint_url` changed (docs/fixtures.md, the user guide's Command R example and its ConverseStream variant).
 * The script is test/support/top_song_boto3.py. Without python3 or boto3 the test is skipped and says why.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareEnv, serveCli, type Served } from '../support/cli-process.js';
import { boto3Missing } from '../support/boto3.js';

const SCRIPT = join(process.cwd(), 'test', 'support', 'top_song_boto3.py');

const missing = boto3Missing();
if (missing) console.log(`boto3 top_song test: skipped because ${missing}`);

interface Run {
  operation: string;
  model: string;
  prompt: string;
  sent: { toolUseId: string; content: object[]; status?: string }[];
  message: { role: string; content: { text?: string }[] };
  stopReason: string;
}

interface LoggedRequest {
  modelId: string;
  stream: boolean;
  status: number;
  body: { messages: { content: { toolResult?: { status?: string } }[] }[] };
}

let home: string;
let emulator: Served;

beforeAll(async () => {
  if (missing) return;
  home = mkdtempSync(join(tmpdir(), 'boto3-top-song-'));
  emulator = await serveCli(['emulator', '--port', '0'], bareEnv(home));
});

afterAll(async () => {
  await emulator?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe.skipIf(missing !== undefined)(`boto3${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it("runs the guide's flow unmodified: WZPZ's song, WZPA's status error accepted, Converse and stream", async () => {
    // boto3 reads no credentials or config of the user's: a bare environment with a throwaway HOME.
    const env = {
      ...bareEnv(home),
      AWS_CONFIG_FILE: join(home, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
    };
    const script = spawnSync('python3', [SCRIPT, emulator.url], { encoding: 'utf8', env });
    expect(script.stderr).toBe('');
    expect(script.status).toBe(0);
    const runs = script.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Run);
    const answers = runs.map((r) => [r.operation, r.model, r.sent.map((s) => s.status ?? 'none'), r.stopReason]);
    expect(answers).toEqual([
      ['converse', 'cohere.command-r-v1:0', ['none'], 'end_turn'],
      ['converse', 'cohere.command-r-v1:0', ['error'], 'end_turn'],
      ['converse_stream', 'anthropic.claude-3-haiku-20240307-v1:0', ['none'], 'end_turn'],
      ['converse_stream', 'cohere.command-r-v1:0', ['error'], 'end_turn'],
    ]);
    const texts = runs.map((r) => r.message.content.map((b) => b.text).join(''));
    expect(texts).toEqual([
      'The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.',
      "I couldn't find that station: Station WZPA not found.",
      'The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.',
      "I couldn't find that station: Station WZPA not found.",
    ]);
    expect(runs[1]?.sent[0]?.content).toEqual([{ text: 'Station WZPA not found.' }]);
    for (const run of runs) expect(run.sent[0]?.toolUseId).toMatch(/^tooluse_/);
    // Every request the script made, the status-error turns included, was answered 200.
    const log = (await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as { requests: LoggedRequest[] };
    const asked = log.requests.map((r) => {
      const statuses = r.body.messages.flatMap((m) => m.content.flatMap((b) => b.toolResult?.status ?? []));
      return [r.stream, r.modelId, statuses.join(), r.status];
    });
    expect(asked).toEqual([
      [false, 'cohere.command-r-v1:0', '', 200],
      [false, 'cohere.command-r-v1:0', '', 200],
      [false, 'cohere.command-r-v1:0', '', 200],
      [false, 'cohere.command-r-v1:0', 'error', 200],
      [true, 'anthropic.claude-3-haiku-20240307-v1:0', '', 200],
      [true, 'anthropic.claude-3-haiku-20240307-v1:0', '', 200],
      [true, 'cohere.command-r-v1:0', '', 200],
      [true, 'cohere.command-r-v1:0', 'error', 200],
    ]);
  });
});
