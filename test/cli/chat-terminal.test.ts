/**
 * `mcp-bedrock chat` in a real pseudo-terminal: Ctrl-C, line editing, history across runs, bracketed paste,
 * the chat's commands and colour rules, driven key by key as a person would.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { alive, CLI, EVERYTHING, scenarioEmulator } from '../support/processes.js';
import { ptyUnavailable, type Pty, startPty, turn } from '../support/pty.js';

const RADIO = join(process.cwd(), 'dist', 'servers', 'radio', 'main.js');
const skip = ptyUnavailable();
const ENTER = '\r';
const LEFT = '\x1b[D';
const UP = '\x1b[A';

let emulator: Emulator;
let home: string;
let config: string;

beforeAll(async () => {
  emulator = await scenarioEmulator();
  home = mkdtempSync(join(tmpdir(), 'chat-pty-'));
  config = join(home, 'mcp.json');
  writeFileSync(
    config,
    JSON.stringify({
      mcpServers: {
        everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
        radio: { command: process.execPath, args: [RADIO] },
      },
    }),
  );
});
afterAll(() => emulator?.close());

function chat(extra: string[] = [], env: Record<string, string> = {}): Pty {
  return startPty([process.execPath, CLI, 'chat', '--endpoint', emulator.url, '-c', config, ...extra], {
    cwd: home,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      TERM: 'xterm-256color',
      ...env,
    },
  });
}

function pids(listing: string): Record<string, number> {
  return Object.fromEntries(
    [...listing.matchAll(/^(\w+): connected · stdio · pid (\d+)/gm)].map((m) => [m[1], Number(m[2])]),
  );
}

describe.skipIf(skip)(`chat in a terminal${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('Ctrl-C cancels a long-running tool call; the next call runs on the same server processes', async () => {
    const pty = chat();
    try {
      await pty.waitFor(/you › $/);
      const before = pids(await turn(pty, `/mcp${ENTER}`, 'everything: connected'));
      expect(Object.keys(before)).toEqual(['everything', 'radio']);
      const from = pty.text.length;
      pty.write(`run the long operation${ENTER}`);
      await pty.waitFor('→ everything › trigger-long-running-operation', from);
      pty.write('\x03');
      await pty.waitFor('(cancelled)', from);
      await pty.waitFor(/you › $/, from);
      // The next call reaches the same server at once…
      expect(await turn(pty, `/call everything echo {"message": "direct"}${ENTER}`, '(everything › echo')).toContain(
        'Echo: direct',
      );
      // …and so does the model's. (The emulator reads the prompt after a cancelled call as the rest of the
      // cancelled scenario, since Bedrock gets it in one message with the cancelled result: one turn for that.)
      await turn(pty, `ok, never mind${ENTER}`, 'assistant ›');
      const echoed = await turn(pty, `please echo hello${ENTER}`, 'The server said: Echo: hello');
      expect(echoed).toContain('✓ everything › echo');
      expect(pids(await turn(pty, `/mcp${ENTER}`, 'everything: connected'))).toEqual(before);
      for (const pid of Object.values(before)) expect(alive(pid)).toBe(true);
      expect(pty.text).not.toContain('failed');
      pty.write(`/exit${ENTER}`);
      expect(await pty.exited).toBe(0);
      // The chat stopped its servers when it ended.
      for (const pid of Object.values(before)) await expect.poll(() => alive(pid)).toBe(false);
    } finally {
      pty.kill();
    }
  });

  it('edits the line with the arrow keys and recalls history with Up in the next run', async () => {
    const first = chat();
    try {
      await first.waitFor(/you › $/);
      // "WPZ", two steps left, insert "Z": the model is asked about WZPZ.
      first.write('What is the most popular song on WPZ');
      await first.waitFor('WPZ');
      first.write(LEFT);
      first.write(LEFT);
      first.write('Z');
      await first.waitFor('WZPZ');
      await turn(first, ENTER, 'The most popular song on WZPZ is Elemental Hotel');
      first.write(`/exit${ENTER}`);
      expect(await first.exited).toBe(0);
    } finally {
      first.kill();
    }
    const history = readFileSync(join(home, 'data', 'mcp-bedrock', 'chat-history.jsonl'), 'utf8');
    expect(history).toContain('"What is the most popular song on WZPZ"');
    const second = chat();
    try {
      await second.waitFor(/you › $/);
      second.write(UP); // "/exit"
      await second.waitFor('/exit');
      second.write(UP); // the question of the first run
      await second.waitFor('song on WZPZ');
      await turn(second, ENTER, 'The most popular song on WZPZ is Elemental Hotel');
      second.write('\x04');
      expect(await second.exited).toBe(0);
    } finally {
      second.kill();
    }
  });

  it('sends a bracketed paste of three lines as one message', async () => {
    const pty = chat(['--session', 'pasted']);
    try {
      await pty.waitFor(/you › $/);
      const from = pty.text.length;
      pty.write('\x1b[200~Some context first.\rAnd a second line.\rWhat is the most popular song on WZPZ?\x1b[201~');
      await pty.waitFor('… What is the most popular song on WZPZ?', from);
      const answer = await turn(pty, ENTER, 'Elemental Hotel');
      expect(answer.match(/assistant ›/g)).toHaveLength(1);
      pty.write(`/exit${ENTER}`);
      expect(await pty.exited).toBe(0);
    } finally {
      pty.kill();
    }
    const { execFileSync } = await import('node:child_process');
    const saved = JSON.parse(
      execFileSync(process.execPath, [CLI, 'sessions', 'show', 'pasted', '--json'], {
        env: { PATH: process.env['PATH'] ?? '', HOME: home, XDG_DATA_HOME: join(home, 'data') },
        encoding: 'utf8',
      }),
    ) as { messages: { role: string; content: { text?: string }[] }[] };
    const prompts = saved.messages.filter((m) => m.role === 'user' && m.content.some((b) => b.text));
    expect(prompts.map((m) => m.content[0]?.text)).toEqual([
      'Some context first.\nAnd a second line.\nWhat is the most popular song on WZPZ?',
    ]);
  });

  it(
    'answers /help, /mcp, /mcp reconnect, /mcp logs, /call, /prompts and ' +
      'rejects unknown commands without asking the model',
    async () => {
      const pty = chat();
      try {
        await pty.waitFor(/you › $/);
        expect(await turn(pty, `/help${ENTER}`, '/call SERVER TOOL {json}')).toContain('Ctrl-C cancels');
        expect(await turn(pty, `/mcp${ENTER}`, /radio: connected · stdio · pid \d+ · 1 tool\b/)).toContain(
          'everything: connected',
        );
        const called = await turn(pty, `/call radio top_song {"sign": "WZPZ"}${ENTER}`, '(radio › top_song');
        expect(called).toContain('"song":"Elemental Hotel"');
        const prompts = await turn(pty, `/prompts${ENTER}`, 'sends one as your message');
        expect(prompts).toContain('everything (4 prompts):');
        expect(prompts).toContain('  args-prompt city state?');
        expect(await turn(pty, `/call radio top_sng {}${ENTER}`, 'radio has no tool "top_sng"')).toContain(
          '(did you mean "top_song"?); its tools: top_song',
        );
        const before = pids(await turn(pty, `/mcp${ENTER}`, 'radio: connected'))['radio'];
        const restarted = await turn(pty, `/mcp reconnect radio${ENTER}`, /radio: connected, pid \d+, 1 tool/);
        expect(Number(/pid (\d+)/.exec(restarted)?.[1])).not.toBe(before);
        expect(await turn(pty, `/mcp logs radio${ENTER}`, 'log: ')).toContain(
          join(home, 'data', 'mcp-bedrock', 'logs', 'radio.log'),
        );
        expect(await turn(pty, `/mcpp${ENTER}`, 'unknown command /mcpp (did you mean /mcp?)')).not.toContain(
          'assistant ›',
        );
        pty.write('\x03');
        await pty.waitFor('press Ctrl-C again to quit');
        pty.write('\x03');
        expect(await pty.exited).toBe(0);
      } finally {
        pty.kill();
      }
    },
  );

  it('prints no colour codes with NO_COLOR, and colour without it', async () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what is looked for
    const sgr = /\x1b\[[0-9;]*m/;
    for (const [env, coloured] of [[{ NO_COLOR: '1' }, false] as const, [{}, true] as const]) {
      const pty = chat([], env);
      try {
        await pty.waitFor(/you › $/);
        await turn(pty, `What is the most popular song on WZPZ?${ENTER}`, 'Elemental Hotel');
        pty.write(`/exit${ENTER}`);
        expect(await pty.exited).toBe(0);
        expect(sgr.test(pty.raw)).toBe(coloured);
      } finally {
        pty.kill();
      }
    }
  });
});
