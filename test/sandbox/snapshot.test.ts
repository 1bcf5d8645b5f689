/**
 * The interpreter snapshot: made by the first child (which then serves as a sandbox like any other), stored
 * privately, used by the next children, and deleted (children load from scratch) when a child cannot start
 * from it. Each test has a cache directory of its own.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { Sandbox, type ToolInvoker } from '../../src/sandbox/index.js';

vi.setConfig({ testTimeout: 120_000 });

const invoker: ToolInvoker = { call: async () => ({ isError: false, text: '' }) };
let previous: string | undefined;
let cache: string;
beforeEach(() => {
  previous = process.env['XDG_CACHE_HOME'];
  cache = mkdtempSync(join(tmpdir(), 'sandbox-cache-'));
  process.env['XDG_CACHE_HOME'] = cache;
});
afterEach(() => {
  rmSync(cache, { recursive: true, force: true });
  if (previous === undefined) delete process.env['XDG_CACHE_HOME'];
  else process.env['XDG_CACHE_HOME'] = previous;
});

const snapshots = () => readdirSync(join(cache, 'mcp-bedrock-bridge')).filter((f) => f.endsWith('.snapshot'));
const commandLine = (pid: number | undefined) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

/** What a program can see of its interpreter's starting state. */
const PROBE = [
  'import os, sys',
  'print(sorted(os.environ.items()))',
  'print(sorted(sys.modules))',
  "print(os.getcwd(), sorted(os.listdir('/tmp')), sorted(os.listdir('.')))",
  "print(sorted(k for k in globals() if not k.startswith('__')))",
].join('\n');

it(
  'the first child makes the snapshot; a child started from it sees ' +
    'the same interpreter as one loaded from scratch',
  async () => {
    const first = await Sandbox.start();
    expect(commandLine(first.pid).some((arg) => arg.includes('.snapshot'))).toBe(false);
    const fromScratch = await first.execute(PROBE, [], invoker);
    const [file] = snapshots();
    const path = join(cache, 'mcp-bedrock-bridge', file as string);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(cache, 'mcp-bedrock-bridge')).mode & 0o777).toBe(0o700);
    const next = await Sandbox.start();
    expect(commandLine(next.pid)).toContain(`--allow-fs-read=${path}`);
    const fromSnapshot = await next.execute(PROBE, [], invoker);
    expect(fromScratch.status).toBe('ok');
    expect(fromSnapshot.stdout).toBe(fromScratch.stdout);
  },
);

it('a snapshot a child cannot start from is deleted, and the child loads from scratch', async () => {
  await Sandbox.start().then((s) => s.close());
  const [file] = snapshots();
  const path = join(cache, 'mcp-bedrock-bridge', file as string);
  writeFileSync(path, Buffer.alloc(1024, 7));
  const sandbox = await Sandbox.start();
  expect(commandLine(sandbox.pid).some((arg) => arg.includes('.snapshot'))).toBe(false);
  expect((await sandbox.execute('print(2 + 2)', [], invoker)).stdout).toBe('4\n');
  expect(snapshots()).toEqual([]);
});
