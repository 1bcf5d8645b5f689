/**
 * A server asking for input (MCP elicitation) and for roots, against server-everything's own tools: `chat` in a
 * pseudo-terminal fills in its form field by field, declines, and opens its link only after a yes; `run` declines
 * unless --yes and says so, and so do the gateway and a chat waiting at its prompt; only servers whose entry opts in
 * are offered elicitation; the working directory is the root servers are offered.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { bareEnv, homeWithConfig } from '../support/cli-process.js';
import { CLI, EVERYTHING, scenarioEmulator } from '../support/processes.js';
import { ptyUnavailable, type Pty, startPty, turn } from '../support/pty.js';

const skip = ptyUnavailable();
const ENTER = '\r';

let emulator: Emulator;
let home: string;
let config: string;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = await scenarioEmulator();
  const everything = { command: process.execPath, args: [EVERYTHING, 'stdio'] };
  ({ home, config } = homeWithConfig('elicit-', {
    everything: { ...everything, elicitation: true },
    // Not opted in: never offered elicitation, so it does not list its elicitation tools.
    plain: { ...everything, tools: { allow: ['trigger-*'] } },
  }));
  // A "browser" that writes down the page it was asked to open.
  const browser = join(home, 'browser.sh');
  writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > ${JSON.stringify(join(home, 'opened.txt'))}\n`);
  chmodSync(browser, 0o755);
  env = bareEnv(home, { TERM: 'xterm-256color', BROWSER: browser });
});
afterAll(() => emulator?.close());

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, cwd: home }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Types `keys` and waits for `next` (the next question) in what follows. */
async function answer(pty: Pty, keys: string, next: RegExp | string): Promise<string> {
  const from = pty.text.length;
  pty.write(keys);
  await pty.waitFor(next, from);
  return pty.text.slice(from);
}

describe.skipIf(skip)(`elicitation in chat${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it(
    'fills in the form field by field (defaults, choices, checks), declines, ' +
      'cancels on Ctrl-C, and opens a link after a yes',
    async () => {
      const pty = startPty(
        [process.execPath, CLI, 'chat', '--endpoint', emulator.url, '-c', config, '--session', 'form'],
        { cwd: home, env },
      );
      try {
        await pty.waitFor(/you › $/);
        const start = await answer(pty, `ask me for my details${ENTER}`, /fill in the form \(13 fields\)\? \[Y\/n\]/);
        expect(start).toContain('? everything asks: Please provide inputs for the following fields:');
        // A required field cannot be left empty; the description is shown above it.
        expect(await answer(pty, `y${ENTER}`, 'String (required): ')).toContain('Your full, legal name');
        expect(await answer(pty, ENTER, '✗ String is required')).not.toContain('Boolean');
        await answer(pty, `Ada Lovelace${ENTER}`, 'Boolean (y/n): ');
        await answer(pty, `y${ENTER}`, 'String with default [It was a dark and stormy night.]: ');
        await answer(pty, ENTER, 'String with email format (email): ');
        await answer(pty, `not-an-address${ENTER}`, '✗ expected an email address');
        await answer(pty, `ada@example.com${ENTER}`, 'String with uri format (uri): ');
        await answer(pty, ENTER, 'String with date format (date): ');
        await answer(pty, ENTER, 'Integer (a whole number 1-100) [42]: ');
        await answer(pty, `200${ENTER}`, '✗ expected at most 100');
        await answer(pty, `7${ENTER}`, 'Number in range 1-1000 (a number 0-1000) [3.14]: ');
        const single = await answer(pty, ENTER, 'Untitled Single Select Enum (a number) [Monica]: ');
        expect(single).toContain('1) Monica  2) Rachel  3) Joey');
        await answer(pty, `3${ENTER}`, 'Untitled Multiple Select Enum (numbers, comma-separated) [Guitar]: ');
        await answer(pty, `1,2${ENTER}`, 'Titled Single Select Enum (a number) [Superman]: ');
        expect(await answer(pty, `9${ENTER}`, '✗ expected one of 1) Superman')).toContain('3) Wonder Woman');
        await answer(pty, `Wonder Woman${ENTER}`, '[Tuna]: ');
        await answer(pty, ENTER, 'Legacy Titled Single Select Enum (a number) [Cats]: ');
        const review = await answer(pty, `2${ENTER}`, 'send these answers to everything? [Y/n]');
        expect(review).toContain('Titled Single Select Enum: Wonder Woman');
        expect(review).toContain('Number in range 1-1000: 3.14');
        const sent = await turn(pty, `y${ENTER}`, 'The form came back: accept');
        expect(sent).toContain('✓ everything › trigger-elicitation-request');

        // Declined before filling anything in.
        await answer(pty, `ask me for my details${ENTER}`, 'fill in the form');
        await turn(pty, `n${ENTER}`, 'The form came back: decline');

        // Ctrl-C at a field cancels the form, and the answer with it, as at an approval.
        await answer(pty, `ask me for my details${ENTER}`, 'fill in the form');
        await answer(pty, `y${ENTER}`, 'String (required): ');
        await turn(pty, '\x03', '(cancelled)');

        // A link: shown with its host, opened only after a yes.
        const link = await answer(pty, `open the sign-in page${ENTER}`, 'open it in your browser? [y/N]');
        expect(link).toContain('? everything asks you to open a page: Sign in to continue.');
        expect(link).toContain('https://auth.example.com/sign-in?step=2 (auth.example.com)');
        await turn(pty, `y${ENTER}`, 'The sign-in came back: accept');
        await expect
          .poll(() => readFileSync(join(home, 'opened.txt'), 'utf8'))
          .toBe('https://auth.example.com/sign-in?step=2');
        pty.write(`/exit${ENTER}`);
        expect(await pty.exited).toBe(0);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- terminal:\n${pty.text.slice(-3000)}`);
      } finally {
        pty.kill();
      }
      // What the server got, from its own report in the saved tool results.
      const shown = await cli(['sessions', 'show', 'form', '--json']);
      const results = JSON.stringify(JSON.parse(shown.stdout));
      expect(results).toContain('User provided the requested information!');
      const raw = /Raw result: (\{.*?\n\})/s.exec(
        (
          JSON.parse(shown.stdout) as { messages: { content: { toolResult?: { content: { text?: string }[] } }[] }[] }
        ).messages
          .flatMap((m) => m.content)
          .flatMap((b) => b.toolResult?.content ?? [])
          .map((b) => b.text ?? '')
          .join('\n'),
      )?.[1];
      expect(JSON.parse(raw ?? '{}')).toEqual({
        action: 'accept',
        content: {
          name: 'Ada Lovelace',
          check: true,
          firstLine: 'It was a dark and stormy night.',
          email: 'ada@example.com',
          integer: 7,
          number: 3.14,
          untitledSingleSelectEnum: 'Joey',
          untitledMultipleSelectEnum: ['Guitar', 'Piano'],
          titledSingleSelectEnum: 'hero-3',
          titledMultipleSelectEnum: ['fish-1'],
          legacyTitledEnum: 'pet-2',
        },
      });
      expect(results).toContain('User declined to provide the requested information.');
    },
  );
});

describe('elicitation and roots outside chat', () => {
  it(
    'run declines a form and says so on stderr; with --yes a form without a ' +
      'default for a required field is still declined',
    async () => {
      const declined = await cli(['run', '--endpoint', emulator.url, '-c', config, 'ask me for my details']);
      expect(declined.code).toBe(0);
      expect(declined.stderr).toContain(
        'MCP server "everything" asked for input ("Please provide inputs for the following ' +
          'fields:"); declined: this run is not interactive (rerun with --yes',
      );
      expect(declined.stdout).toContain('The form came back: decline');
      const yes = await cli(['run', '--yes', '--endpoint', emulator.url, '-c', config, 'ask me for my details']);
      expect(yes.stderr).toContain('declined: required name has no default to answer with');
    },
  );

  it('run --yes accepts a link and prints it for the user to open', async () => {
    const result = await cli(['run', '--yes', '--endpoint', emulator.url, '-c', config, 'open the sign-in page']);
    expect(result.stderr).toContain(
      'MCP server "everything" asked you to open ' +
        'https://auth.example.com/sign-in?step=2 ("Sign in to continue."); accepted ' +
        '(--yes)',
    );
    expect(result.stdout).toContain('The sign-in came back: accept');
  });

  it('offers elicitation only to servers whose config entry opts in', async () => {
    const listed = await cli(['tools', '--json', '-c', config]);
    const tools = (JSON.parse(listed.stdout) as { tools: { server: string; tool: string }[] }).tools;
    expect(tools.filter((t) => t.tool === 'trigger-elicitation-request').map((t) => t.server)).toEqual(['everything']);
    expect(tools.filter((t) => t.server === 'plain').map((t) => t.tool)).toContain('trigger-long-running-operation');
  });

  it('offers the working directory as the root when a server asks', async () => {
    const result = await cli(['run', '--endpoint', emulator.url, '-c', config, 'which roots do you see']);
    expect(result.stdout).toContain(pathToFileURL(home).href);
  });

  it('the gateway declines and says so on stderr', async () => {
    const child = spawn(process.execPath, [CLI, 'gateway', '--port', '0', '--upstream', emulator.url, '-c', config], {
      env,
      cwd: home,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          const found = /Bedrock gateway on (http:\/\/\S+)/.exec(stdout)?.[1];
          if (found) resolve(found);
        });
        child.on('close', () => reject(new Error(`the gateway ended: ${stderr}`)));
      });
      const client = new BedrockRuntimeClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        maxAttempts: 1,
      });
      const answer = await client.send(
        new ConverseCommand({
          modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
          messages: [{ role: 'user', content: [{ text: 'ask me for my details' }] }],
        }),
      );
      client.destroy();
      expect(answer.output?.message?.content?.[0]?.text).toBe('The form came back: decline');
      expect(stderr).toContain(
        'MCP server "everything" asked for input ("Please provide inputs for the ' +
          'following fields:"); declined: the gateway has nobody to ask',
      );
    } finally {
      child.kill();
    }
  });

  it('chat declines a request that comes while it waits at its prompt, and says so', async () => {
    // A server that asks as soon as it is initialized, outside any tool call, and writes down the answer.
    const sdk = join(process.cwd(), 'node_modules', '@modelcontextprotocol', 'sdk', 'dist', 'esm', 'server');
    const server = join(home, 'eager.mjs');
    const answered = join(home, 'eager-answer.json');
    writeFileSync(
      server,
      `import { McpServer } from ${JSON.stringify(pathToFileURL(join(sdk, 'mcp.js')).href)};
import { StdioServerTransport } from ${JSON.stringify(pathToFileURL(join(sdk, 'stdio.js')).href)};
import { writeFileSync } from 'node:fs';
const server = new McpServer({ name: 'eager', version: '1.0.0' });
server.registerTool('noop', { description: 'does nothing' }, async () => ({ content: [{ type: 'text', text: 'ok' }] }));
server.server.oninitialized = () => {
  setTimeout(async () => {
    const result = await server.server.elicitInput({
      message: 'Who are you?',
      requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
    });
    writeFileSync(${JSON.stringify(answered)}, JSON.stringify(result));
  }, 300);
};
await server.connect(new StdioServerTransport());
`,
    );
    const eager = join(home, 'eager.json');
    writeFileSync(
      eager,
      JSON.stringify({ mcpServers: { eager: { command: process.execPath, args: [server], elicitation: true } } }),
    );
    const child = spawn(process.execPath, [CLI, 'chat', '--endpoint', emulator.url, '-c', eager], { env, cwd: home });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await expect.poll(() => out, { timeout: 20_000 }).toContain('declined: the chat was waiting at its prompt');
      expect(out).toContain('! MCP server "eager" asked for input ("Who are you?")');
      await expect.poll(() => readFileSync(answered, 'utf8'), { timeout: 20_000 }).toBe('{"action":"decline"}');
    } finally {
      child.stdin.end();
      child.kill();
    }
  });
});
