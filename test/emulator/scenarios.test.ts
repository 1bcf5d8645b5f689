/**
 * Scenarios as the user's own test rig (docs/emulator.md): the worked example for server-everything, scenario
 * objects, matching that forgives case and punctuation, load errors that name the file and the field, and the
 * off-script answer that is unmistakably the emulator's.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConverseCommand, type Tool } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BedrockModelClient, Conversation, HubToolset, McpHub } from '../../bridge/index.js';
import { loadScenarios, OFF_SCRIPT_HEADER, OFF_SCRIPT_STOP_REASON, startEmulator } from '../../src/emulator/index.js';
import { bareEnv, runCli, serveCli } from '../support/cli-process.js';
import { DUMMY_CREDENTIALS, emulatorWithSdk, sdkFor } from '../support/emulator-sdk.js';
import { TOP_SONG } from '../support/top-song.js';
import { EVERYTHING_ENTRY } from '../support/server-everything.js';

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
const EXAMPLE = join(process.cwd(), 'docs', 'examples', 'server-everything.json');

const rig = emulatorWithSdk();
let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'scenarios-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

const ask = (text: string, tools: Tool[] = [TOP_SONG]) =>
  rig.sdk.send(
    new ConverseCommand({
      modelId: CLAUDE,
      messages: [{ role: 'user', content: [{ text }] }],
      ...(tools.length > 0 && { toolConfig: { tools } }),
    }),
  );

describe('8. Off-script prompts are the emulator speaking', () => {
  it.each(['hello', "what's hot on WZPZ right now?", 'What is 17 * 23?'])('%s', async (prompt) => {
    const answer = await ask(prompt);
    expect(answer.stopReason).toBe(OFF_SCRIPT_STOP_REASON);
    const text = answer.output?.message?.content?.[0]?.text ?? '';
    expect(text).toMatch(/^\[mcp-bedrock emulator\] No scenario matches "/);
    expect(text).toContain('This is the offline Converse emulator speaking, not a model');
    expect(text).toContain('With the tools offered (top_song) it can play:');
    expect(text).toContain('  - top_song: e.g. "What is the most popular song on WZPZ?"');
    expect(text).toContain('--scenarios DIR (docs/emulator.md)');
  });

  it('marks the answer with a response header', async () => {
    const response = await fetch(`${rig.emulator.url}/model/${CLAUDE}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hello' }] }] }),
    });
    expect(response.headers.get(OFF_SCRIPT_HEADER)).toBe('off-script');
  });

  it('run --json marks it and exits 4', async () => {
    const run = await runCli(['run', '--endpoint', rig.emulator.url, '--json', 'hello'], bareEnv(home));
    expect(run.code).toBe(4);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ stopReason: OFF_SCRIPT_STOP_REASON, offScript: true });
    expect(result.text).toMatch(/^\[mcp-bedrock emulator\]/);
  });
});

describe('scenarios of your own', () => {
  it("plays the docs' worked example with server-everything's echo and get-sum", async () => {
    const own = await startEmulator({ port: 0, scenarios: EXAMPLE });
    const hub = new McpHub([
      { name: 'everything', transport: 'stdio', command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'] },
    ]);
    await hub.start();
    const client = new BedrockModelClient({ endpoint: own.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    try {
      const conversation = new Conversation({ client, modelId: CLAUDE, toolset: new HubToolset(hub) });
      expect((await conversation.send('Echo back hello world')).text).toBe('The server said: Echo: hello world');
      expect((await conversation.send('Please add 17 and 25')).text).toBe('17 + 25 = 42.');
    } finally {
      await client.close();
      await hub.close();
      await own.close();
    }
  });

  it('takes scenario objects, tried in order', async () => {
    const own = await startEmulator({
      port: 0,
      scenarios: [{ name: 'greeting', match: '^hello\\b', steps: [{ text: 'Hello! I am a scripted model.' }] }],
    });
    const client = sdkFor(own.url);
    const answer = await client.send(
      new ConverseCommand({ modelId: CLAUDE, messages: [{ role: 'user', content: [{ text: 'Hello there' }] }] }),
    );
    expect(answer.output?.message?.content?.[0]?.text).toBe('Hello! I am a scripted model.');
    client.destroy();
    await own.close();
  });

  it.each([
    "WHAT'S the most POPULAR song on: WZPZ?!",
    'most popular   song\non WZPZ',
    'Top-song on WZPZ, please',
    'What is the most popular song on “WZPZ”?',
  ])('matches %j case-insensitively and through punctuation', async (prompt) => {
    const answer = await ask(prompt);
    expect(answer.output?.message?.content?.find((b) => b.toolUse)?.toolUse?.input).toEqual({ sign: 'WZPZ' });
  });

  it('emulator --list prints each scenario with its match, example and required tools', async () => {
    const list = await runCli(['emulator', '--list', '--scenarios', EXAMPLE], bareEnv(home));
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('echo a message\n  match:    /\\becho (?:back )?(?<message>.+)$/i\n');
    expect(list.stdout).toContain('  example:  Echo back hello world\n  requires: echo\n');
    expect(list.stdout).toContain('add two numbers');
    expect(list.stdout).toContain('2 scenarios.');
    const builtIn = await runCli(['emulator', '--list'], bareEnv(home));
    expect(builtIn.stdout).toContain('top_song\n  match:');
  });
});

describe('a bad scenario fails to load, naming the file and the field', () => {
  const write = (name: string, text: string): string => {
    const dir = join(home, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bad.json'), text);
    return dir;
  };
  const good = { name: 'x', match: 'x', requires: ['echo'], steps: [{ calls: [{ tool: 'echo', input: {} }] }] };

  it.each([
    [
      'a call to a tool it does not require',
      { ...good, requires: [] },
      '"x": steps.0.calls.0.tool: "echo" is not in "requires"',
    ],
    [
      'a regex that does not compile',
      { ...good, match: '(' },
      '"x": match: not a valid regular expression (Invalid regular expression: /(/i: Unterminated group)',
    ],
    [
      'an unknown template function',
      { ...good, steps: [{ text: '{{shout name}}' }] },
      '"x": steps.0.text: unknown template function "shout"',
    ],
    [
      'an unknown key',
      { ...good, mistralPositional: true },
      '"x": (the scenario): Unrecognized key: "mistralPositional"',
    ],
    ['steps missing', { name: 'x', match: 'x' }, '"x": steps: Invalid input: expected array, received undefined'],
    [
      'a call without input',
      { ...good, steps: [{ calls: [{ tool: 'echo' }] }] },
      '"x": steps.0.calls.0.input: Invalid input: expected record, received undefined',
    ],
    [
      'a bad step among parallel steps',
      { ...good, steps: [[{ text: 'a' }, { text: 'b', color: 'red' }]] },
      '"x": steps.0.1: Unrecognized key: "color"',
    ],
  ])('%s', (_label, scenario, message) => {
    const dir = write(_label.replace(/\W+/g, '-'), JSON.stringify(scenario));
    expect(() => loadScenarios(dir)).toThrow(`${join(dir, 'bad.json')}: scenario ${message}`);
  });

  it('JSON that does not parse, and a missing folder', () => {
    const dir = write('syntax', '{ "name": "x", }');
    expect(() => loadScenarios(dir)).toThrow(`${join(dir, 'bad.json')}: not valid JSON (`);
    expect(() => loadScenarios(join(home, 'nowhere'))).toThrow(
      `${join(home, 'nowhere')}: no such scenario file or folder`,
    );
  });

  it('emulator --scenarios exits 2 with that message', async () => {
    const dir = write('cli', JSON.stringify({ ...good, match: '(' }));
    const run = await runCli(['emulator', '--scenarios', dir], bareEnv(home));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(dir, 'bad.json')}: scenario "x": match: not a valid regular expression`);
  });
});

describe('observability', () => {
  it('GET /__emulator/requests lists each request with its outcome', async () => {
    const own = await startEmulator({ port: 0 });
    const client = sdkFor(own.url);
    const input = {
      modelId: CLAUDE,
      messages: [{ role: 'user' as const, content: [{ text: 'What is the most popular song on WZPZ?' }] }],
    };
    await client.send(new ConverseCommand({ ...input, toolConfig: { tools: [TOP_SONG] } }));
    await client.send(new ConverseCommand({ ...input, inferenceConfig: { temperature: 2 } })).catch(() => undefined);
    client.destroy();
    const { requests } = (await (await fetch(`${own.url}/__emulator/requests`)).json()) as { requests: object[] };
    expect(requests).toMatchObject([
      { modelId: CLAUDE, stream: false, status: 200, tools: ['top_song'], answeredBy: 'top_song' },
      {
        modelId: CLAUDE,
        status: 400,
        error: expect.stringMatching(/^ValidationException: 1 validation error detected/),
      },
    ]);
    await own.close();
  });

  it('refuses the request log to a web page (foreign Host or Origin)', async () => {
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${rig.emulator.url}/__emulator/requests`, { headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status({ host: 'evil.example' })).toBe(403);
    expect(await status({ origin: 'https://evil.example' })).toBe(403);
    expect(await status({})).toBe(200);
  });

  it('emulator -v prints one line per request: operation, model, tools, status, latency, answer', async () => {
    const served = await serveCli(['emulator', '--port', '0', '-v'], bareEnv(home));
    let stderr = '';
    served.child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const client = sdkFor(served.url);
    await client.send(
      new ConverseCommand({
        modelId: CLAUDE,
        messages: [{ role: 'user', content: [{ text: 'What is the most popular song on WZPZ?' }] }],
        toolConfig: { tools: [TOP_SONG] },
      }),
    );
    await client.send(
      new ConverseCommand({ modelId: CLAUDE, messages: [{ role: 'user', content: [{ text: 'hello' }] }] }),
    );
    client.destroy();
    await served.stop();
    const lines = stderr.split('\n').filter((l) => l.startsWith('Converse'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`^Converse ${CLAUDE.replace(/\./g, '\\.')} tools=top_song -> 200 \\d+ms top_song$`),
    );
    expect(lines[1]).toMatch(/ no tools -> 200 \d+ms off-script$/);
  });
});
