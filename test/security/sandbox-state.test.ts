/**
 * Attack: a program leaves state behind for the next one in the same conversation (a file, a monkeypatched
 * module spying on tool results, a hijacked or closed stdout, an asyncio task that keeps calling tools, a CPU
 * spinner, memory held in a module). Every program must start from a clean interpreter, whatever the last did.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { Sandbox, SandboxPool, type CodeTool, type ToolInvoker } from '../../src/sandbox/index.js';
import { processAlive } from '../support/process-alive.js';

// Every program starts a sandbox child (~0.3 s quiet, several seconds on a loaded 2-core machine).
vi.setConfig({ testTimeout: 90_000 });

const PING: CodeTool = {
  name: 'ping',
  description: 'Answers pong.',
  inputSchema: { type: 'object', properties: { run: { type: 'string' } }, required: ['run'] },
};
const calls: string[] = [];
const invoker: ToolInvoker = {
  call: async (_name, args) => {
    calls.push(String(args['run']));
    return { isError: false, text: 'pong' };
  },
};

let pool: SandboxPool;
beforeAll(() => {
  pool = new SandboxPool({ limits: { wallClockMs: 20_000 } });
});
afterAll(() => pool.close());

const run = async (code: string) => (await pool.acquire()).execute(code, [PING], invoker);

it('a file written by one program is not there for the next', async () => {
  const first = await run("open('/tmp/secret.txt', 'w').write('A was here')\nopen('notes.txt', 'w').write('x')");
  expect(first.status).toBe('ok');
  const second = await run("import os\nprint(os.path.exists('/tmp/secret.txt'), os.path.exists('notes.txt'))");
  expect(second.stdout).toBe('False False\n');
});

it('a monkeypatched json (spying on tool results) and an injected module are gone for the next program', async () => {
  const spy = [
    'import builtins, json, sys, types',
    'leaked = []',
    '_loads = json.loads',
    'json.loads = lambda s, *a, **k: (leaked.append(s), _loads(s, *a, **k))[1]',
    "sys.modules['evil'] = types.ModuleType('evil')",
    'builtins.leaked = leaked',
  ].join('\n');
  expect((await run(spy)).status).toBe('ok');
  const second = await run(
    [
      'import json, sys, builtins',
      "await ping(run='B')",
      "print(json.loads.__name__, 'evil' in sys.modules, hasattr(builtins, 'leaked'))",
    ].join('\n'),
  );
  expect(second.stdout).toBe('loads False False\n');
});

it('a hijacked stdout, and one closed outright, do not touch the next program', async () => {
  const hijack = await run(
    [
      'import sys, os',
      'class Spy:',
      '    def write(self, s): pass',
      '    def flush(self): pass',
      'sys.stdout = Spy()',
    ].join('\n'),
  );
  expect(hijack.status).toBe('ok');
  expect((await run("print('seen')")).stdout).toBe('seen\n');
  // The poisoned-stdout attack: every later print failed with OSError [Errno 29] in the shared interpreter.
  const poison = await run('import os, sys\nsys.stdout.close()\nos.close(1)\nos.close(2)');
  expect(poison.status).not.toBe('crashed');
  expect((await run("print('still seen')")).stdout).toBe('still seen\n');
});

it(
  'a task left running keeps calling no tools during the next ' + 'program, and a spinner left behind does not stop it',
  async () => {
    calls.length = 0;
    const leave = await run(
      [
        'import asyncio',
        'async def keep_calling():',
        '    await asyncio.sleep(1)',
        '    while True:',
        "        await ping(run='A-leftover')",
        'asyncio.ensure_future(keep_calling())',
        'def spin():',
        '    while True:',
        '        pass',
        'asyncio.get_event_loop().call_later(1, spin)',
        "print('left')",
      ].join('\n'),
    );
    expect(leave).toMatchObject({ status: 'ok', stdout: 'left\n' });
    const next = await run(
      [
        'import asyncio',
        'await asyncio.sleep(2)',
        "await ping(run='B')",
        'print(len([t for t in asyncio.all_tasks() if t is not asyncio.current_task()]))',
      ].join('\n'),
    );
    expect(next).toMatchObject({ status: 'ok', stdout: '0\n' });
    expect(calls).toEqual(['B']);
  },
);

it('calls still queued for a concurrency slot when the program ends never run', async () => {
  const started: string[] = [];
  const slow: ToolInvoker = {
    // Never answers on its own: only the end of the program (its abort signal) settles it.
    call: (_name, args, signal) =>
      new Promise((_, reject) => {
        started.push(String(args['run']));
        signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      }),
  };
  const sandbox = await Sandbox.start({ limits: { maxConcurrentCalls: 2, wallClockMs: 20_000 } });
  const result = await sandbox.execute(
    [
      'import asyncio',
      'asyncio.ensure_future(asyncio.gather(*[ping(run=str(i)) for i in range(10)], return_exceptions=True))',
      'await asyncio.sleep(0.5)',
    ].join('\n'),
    [PING],
    slow,
  );
  expect(result.status).toBe('ok');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(started).toHaveLength(2);
});

it('memory held by one program is not held for the next', async () => {
  const hold = await run('import builtins\nbuiltins.hold = bytearray(200_000_000)');
  expect(hold.status).toBe('ok');
  // With the 200 MB still held the Python heap cap (320 MB) would refuse another 200 MB.
  const next = await run("import builtins\nb = bytearray(200_000_000)\nprint(hasattr(builtins, 'hold'))");
  expect(next).toMatchObject({ status: 'ok', stdout: 'False\n' });
});

it('the child of a finished program is gone, whatever it left scheduled', async () => {
  const sandbox = await pool.acquire();
  const pid = sandbox.pid as number;
  const result = await sandbox.execute(
    'import asyncio\nasyncio.get_event_loop().call_later(0.5, lambda: [0 for _ in iter(int, 1)])',
    [],
    invoker,
  );
  expect(result.status).toBe('ok');
  await expect.poll(() => processAlive(pid)).toBe(false);
});
