/**
 * Servers' prompts and resources in `chat`, against server-everything's: /prompts and /resources list them,
 * /prompt gets one and sends it as the user's turn (arguments checked first), and @server:uri attaches a resource
 * to the message (text as text, a text/plain blob as a txt document), as the saved session shows.
 */
import { execFile, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mentions, promptArguments } from '../../src/cli/chat/mcp-content.js';
import type { Emulator } from '../../src/emulator/index.js';
import { bareEnv, homeWithConfig } from '../support/cli-process.js';
import { CLI, EVERYTHING, scenarioEmulator } from '../support/processes.js';

let emulator: Emulator;
let home: string;
let config: string;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = await scenarioEmulator();
  const everything = { command: process.execPath, args: [EVERYTHING, 'stdio'] };
  ({ home, config } = homeWithConfig('prompts-', { everything }));
  env = bareEnv(home);
});
afterAll(() => emulator?.close());

/** A chat with `lines` piped in; resolves with what it printed. */
function chat(session: string, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CLI, 'chat', '--endpoint', emulator.url, '-c', config, '--session', session],
      { env, cwd: home },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out));
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}

interface Saved {
  messages: { role: string; content: Record<string, unknown>[] }[];
}

function saved(session: string): Promise<Saved> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [CLI, 'sessions', 'show', session, '--json'], { env }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout) as Saved),
    ),
  );
}

const userTurns = (s: Saved) =>
  s.messages.filter((m) => m.role === 'user' && !m.content.some((b) => 'toolResult' in b));

describe('prompts and resources in chat', () => {
  it(
    '/prompts lists prompts with their arguments; /prompt checks ' + 'them and sends the prompt as the user turn',
    async () => {
      const out = await chat('prompts', [
        '/prompts',
        '/prompt everything args-prompt',
        '/prompt everything args-promt city=Paris',
        '/prompt everything args-prompt city="New York"',
        '/prompt everything resource-prompt resourceType=Text resourceId=2',
      ]);
      expect(out).toContain('everything (4 prompts):');
      expect(out).toContain('  args-prompt city state? — A prompt with two arguments, one required and one optional');
      expect(out).toContain('  simple-prompt — A prompt with no arguments');
      expect(out).toContain("everything's args-prompt needs city=…");
      expect(out).toContain('everything has no prompt "args-promt" (did you mean "args-prompt"?)');
      expect(out).toContain('It is sunny in New York.');
      const turns = userTurns(await saved('prompts'));
      // Only the two prompts that were got reached the model; the embedded resource came along as text.
      expect(turns.map((t) => t.content)).toEqual([
        [{ text: "What's weather in New York?" }],
        [
          { text: 'This prompt includes the Text resource with id: 2. Please analyze the following resource:' },
          {
            text: expect.stringMatching(
              /^demo:\/\/resource\/dynamic\/text\/2:\nResource 2: This is a plaintext resource/,
            ),
          },
        ],
      ]);
    },
  );

  it(
    '/resources lists resources and templates; @server:uri attaches them, and ' +
      'an unknown one is refused before the model is asked',
    async () => {
      const out = await chat('attach', [
        '/resources',
        'summarize @everything:demo://resource/nowhere/1',
        'summarize @everything:demo://resource/dynamic/text/1 and @everything:demo://resource/dynamic/blob/3.',
      ]);
      expect(out).toContain('@everything:demo://resource/static/document/architecture.md (text/markdown');
      expect(out).toContain('@everything:demo://resource/dynamic/text/{resourceId} (template: Dynamic Text Resource)');
      expect(out).toContain('✗ could not attach @everything:demo://resource/nowhere/1:');
      expect(out).toContain('Summarized what you attached.');
      const turns = userTurns(await saved('attach'));
      expect(turns).toHaveLength(1);
      const [text, resource, blob] = turns[0]?.content ?? [];
      expect(text).toEqual({
        text: 'summarize @everything:demo://resource/dynamic/text/1 and @everything:demo://resource/dynamic/blob/3.',
      });
      expect(resource?.['text']).toMatch(
        /^demo:\/\/resource\/dynamic\/text\/1:\nResource 1: This is a plaintext resource/,
      );
      expect(blob?.['document']).toMatchObject({ format: 'txt' });
    },
  );
});

describe('reading /prompt arguments and @server:uri mentions', () => {
  it('reads name=value pairs, quoted values with spaces, and names what is not a pair', () => {
    expect(promptArguments(`city="New York" state='NY' zip=10001 empty=`)).toEqual({
      city: 'New York',
      state: 'NY',
      zip: '10001',
      empty: '',
    });
    expect(promptArguments('city=Paris oops')).toEqual({ error: 'expected name=value, got "oops"' });
  });

  it(
    'finds mentions of known servers only, also in parentheses, without ' +
      'trailing punctuation; an email address is no mention',
    () => {
      const servers = ['docs', 'everything'];
      expect(
        mentions('see @docs:file:///a/plan.md, and (@everything:demo://x/1) or mail ada@docs:x @other:y://z', servers),
      ).toEqual([
        { server: 'docs', uri: 'file:///a/plan.md' },
        { server: 'everything', uri: 'demo://x/1' },
      ]);
      expect(mentions('@everything:demo://resource/dynamic/text/1.', servers)).toEqual([
        { server: 'everything', uri: 'demo://resource/dynamic/text/1' },
      ]);
    },
  );
});
