/**
 * A completed destructive action is never lost from the record: `run --session`, and `web` with its
 * conversation, are killed (SIGKILL) after cancel_order succeeded and before the model's final answer. The
 * session must hold the call and its result, and the next run continues from there. A proxy in front of the
 * emulator holds the model call that follows the tool batch, so the kill lands exactly in that window.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { ConversationView } from '../../src/web/api-types.js';
import { CLI } from '../support/processes.js';
import { ApiClient } from '../web/api-client.js';
import { startWebStack } from '../web/web-stack.js';

let emulator: Emulator;
let proxy: Server;
let proxyUrl: string;
let held: (() => void) | undefined;
/** Resolves when the proxy holds the next model call that carries cancel_order's result. */
const nextHeld = (): Promise<void> =>
  new Promise<void>((resolve) => {
    held = resolve;
  });

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  // Forwards to the emulator, but never answers the model call that carries cancel_order's result.
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (body.toString('utf8').includes('Cancelled the order')) {
      held?.();
      held = undefined;
      return;
    }
    const upstream = await fetch(`${emulator.url}${req.url}`, {
      method: req.method ?? 'POST',
      headers: { 'content-type': String(req.headers['content-type'] ?? 'application/json') },
      body,
    });
    res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy?.closeAllConnections();
  proxy?.close();
  await emulator?.close();
});

it('keeps a cancel_order and its result in the session when the run is killed before the final answer', async () => {
  const heldRequest = nextHeld();
  const home = mkdtempSync(join(tmpdir(), 'crash-session-'));
  const env = { PATH: process.env['PATH'] ?? '', HOME: home, XDG_DATA_HOME: join(home, 'data') };
  const run = spawn(
    process.execPath,
    [CLI, 'run', '--endpoint', proxyUrl, '--no-stream', '--yes', '--session', 'crash', 'Please cancel order 37129'],
    { cwd: home, env, stdio: 'ignore' },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) => run.on('exit', (_code, signal) => resolve(signal)));
  await heldRequest;
  run.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const shown = spawnSync(process.execPath, [CLI, 'sessions', 'show', 'crash', '--json'], {
    env,
    encoding: 'utf8',
    timeout: 20_000,
  });
  const session = JSON.parse(shown.stdout) as {
    messages: {
      role: string;
      content: { toolUse?: { name: string }; toolResult?: { status: string; content: unknown } }[];
    }[];
  };
  const calls = session.messages.flatMap((m) => m.content.flatMap((b) => (b.toolUse ? [b.toolUse.name] : [])));
  expect(calls).toContain('cancel_order');
  const results = JSON.stringify(
    session.messages.flatMap((m) => m.content.flatMap((b) => (b.toolResult ? [b.toolResult] : []))),
  );
  expect(results).toContain('Cancelled the order');
  // The saved history is valid to continue: the next run answers from it (spawned without blocking: the
  // emulator answers from this process).
  const resumed = spawn(
    process.execPath,
    [CLI, 'run', '--endpoint', emulator.url, '--session', 'crash', '--json', 'my order is 37129'],
    { cwd: home, env },
  );
  let stdout = '';
  resumed.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  expect(await new Promise((resolve) => resumed.on('close', resolve))).toBe(0);
  expect((JSON.parse(stdout) as { text: string }).text).toContain('Cancelled');
});

it('keeps a cancel_order the customer confirmed in the web conversation when the web server is killed', async () => {
  const heldRequest = nextHeld();
  const stack = await startWebStack({ args: ['--endpoint', proxyUrl, '--no-stream'] });
  try {
    const browser = new ApiClient(stack.url);
    await browser.openLink(await stack.takeLink());
    const started = await browser.json<{ id: string }>('POST', '/api/conversations', {
      text: 'Please cancel order 37129',
    });
    const { id } = started.body;
    // The customer confirms the cancellation in the page, as a person would.
    let confirm: string | undefined;
    while (!confirm) {
      const view = await browser.json<ConversationView>('GET', `/api/conversations/${id}?view=customer`);
      confirm = view.body.items.flatMap((i) => (i.kind === 'confirm' ? [i.toolUseId] : []))[0];
      if (!confirm) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const decided = await browser.request('POST', `/api/conversations/${id}/approvals/${confirm}`, { approved: true });
    expect(decided.status).toBe(202);
    await heldRequest;
    await stack.crash();
    const shown = spawnSync(process.execPath, [CLI, 'sessions', 'show', id, '--json'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: stack.dataHome, XDG_DATA_HOME: stack.dataHome },
      encoding: 'utf8',
      timeout: 20_000,
    });
    const session = JSON.parse(shown.stdout) as {
      messages: { content: { toolUse?: { name: string }; toolResult?: { content: unknown } }[] }[];
    };
    const calls = session.messages.flatMap((m) => m.content.flatMap((b) => (b.toolUse ? [b.toolUse.name] : [])));
    expect(calls).toContain('cancel_order');
    const results = JSON.stringify(
      session.messages.flatMap((m) => m.content.flatMap((b) => (b.toolResult ? [b.toolResult] : []))),
    );
    expect(results).toContain('Cancelled the order');
  } finally {
    await stack.close();
  }
});
