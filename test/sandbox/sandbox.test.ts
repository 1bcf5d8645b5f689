import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Sandbox,
  SandboxPool,
  networkIsolationAvailable,
  type CodeTool,
  type ToolInvoker,
} from '../../src/sandbox/index.js';

// Every program starts a sandbox child (~0.3 s quiet, several seconds on a loaded 2-core machine).
vi.setConfig({ testTimeout: 90_000 });

const ADD: CodeTool = {
  name: 'add',
  description: 'Add two numbers.',
  inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
};
let inFlight = 0;
let maxInFlight = 0;
const invoker: ToolInvoker = {
  call: async (_name, args) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 40));
    inFlight--;
    if (args['a'] === 13) return { isError: true, text: 'unlucky number' };
    return { isError: false, text: String((args['a'] as number) + (args['b'] as number)) };
  },
};

let pool: SandboxPool;
let listener: Server;
let port: number;
let connections = 0;
beforeAll(async () => {
  pool = new SandboxPool();
  // A raw TCP listener: any connection attempt that gets through counts, whatever protocol it speaks.
  listener = createServer((socket) => {
    connections++;
    socket.end('reached the host');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as AddressInfo).port;
}, 60_000);
afterAll(async () => {
  await pool.close();
  listener.close();
});

/** Every program gets a fresh sandbox, as in code mode. */
const run = async (code: string) => (await pool.acquire()).execute(code, [ADD], invoker);

describe('Python sandbox', () => {
  it('runs code that awaits tools concurrently with asyncio.gather and prints the result', async () => {
    maxInFlight = 0;
    const result = await run('import asyncio\nprint(await asyncio.gather(add(a=1, b=2), add(3, 4), add(a=5, b=6)))');
    expect(result).toMatchObject({ status: 'ok', stdout: "['3', '7', '11']\n", toolCalls: 3 });
    expect(maxInFlight).toBeGreaterThanOrEqual(2);
  });

  it('raises tool failures and invalid arguments as ToolError the code can catch', async () => {
    const result = await run(
      "for args in ({'a': 13, 'b': 1}, {'a': 'x', 'b': 1}, {'b': 1}):\n    try:\n        await " +
        "add(**args)\n    except ToolError as e:\n        print('ToolError:', e)",
    );
    expect(result.stdout).toBe(
      'ToolError: unlucky number\nToolError: invalid arguments for add: a must be number\nToolError: ' +
        "invalid arguments for add: arguments must have required property 'a'\n",
    );
  });

  it('refuses tools that were not given to this execution', async () => {
    const result = await run("from _ptc_host import call\nprint(await call('delete_everything', '{}'))");
    expect(result.stdout).toContain('tool delete_everything is not available to this code');
  });

  it('reports Python exceptions with status error, and the next program runs in a fresh sandbox', async () => {
    const failed = await run('print("before")\n1/0');
    expect(failed).toMatchObject({ status: 'error', stdout: 'before\n' });
    expect(failed.error).toContain('ZeroDivisionError');
    expect((await run('print(2 + 2)')).stdout).toBe('4\n');
  });

  it('a sandbox runs one program: a second one is refused', async () => {
    const sandbox = await pool.acquire();
    await sandbox.execute('print(1)', [], invoker);
    await expect(sandbox.execute('print(2)', [], invoker)).rejects.toMatchObject({ code: 'SANDBOX_USED' });
  });

  it.skipIf(!networkIsolationAvailable())(
    'cannot reach the host: no Function constructor, no host files, no environment, no network',
    async () => {
      connections = 0;
      const result = await run(
        [
          'from _ptc_host import call',
          'import os, socket',
          'for name, probe in [',
          "    ('function', lambda: call.constructor.constructor('return process')()),",
          "    ('file', lambda: open('/etc/passwd').read()),",
          `    ('net', lambda: __import__('urllib.request').request.urlopen('http://127.0.0.1:${port}/').read()),`,
          `    ('socket', lambda: socket.create_connection(('127.0.0.1', ${port}), timeout=2)),`,
          "    ('spawn', lambda: __import__('subprocess').run(['id'], capture_output=True)),",
          "    ('import js', lambda: __import__('js').process),",
          "    ('run_js', lambda: __import__('pyodide.code', fromlist=['run_js']).run_js('process.pid')),",
          ']:',
          '    try:',
          '        probe()',
          "        print(name, 'OPEN')",
          '    except Exception as e:',
          "        print(name, 'blocked')",
          'try:',
          `    await __import__('asyncio').open_connection('127.0.0.1', ${port})`,
          "    print('asyncio OPEN')",
          'except Exception:',
          "    print('asyncio blocked')",
          "print('home' in os.environ.get('HOME', ''), 'PATH=/usr' in str(os.environ))",
        ].join('\n'),
      );
      expect(result.stdout).toBe(
        'function blocked\nfile blocked\nnet blocked\nsocket blocked\nspawn blocked\nimport js blocked\n' +
          'run_js blocked\nasyncio blocked\nTrue False\n',
      );
      expect(connections).toBe(0);
    },
  );
  if (!networkIsolationAvailable())
    console.log('skipped the network probe: this machine cannot make a network namespace (unshare -rn)');

  it('cuts output at the cap with a marker', async () => {
    const small = await Sandbox.start({ limits: { outputBytes: 1000 } });
    const result = await small.execute("for i in range(10000):\n    print('x' * 100)", [], invoker);
    expect(result.stdout.length).toBeLessThanOrEqual(1000);
    expect(result.truncated).toBe(true);
  });

  it('stops an endless loop at the wall clock, and a Python heap past its cap raises MemoryError', async () => {
    const loop = await Sandbox.start({ limits: { wallClockMs: 1500 } });
    const stuck = await loop.execute('while True:\n    pass', [], invoker);
    expect(stuck).toMatchObject({ status: 'timeout', error: 'the code ran longer than 1500 ms and was stopped' });
    expect(loop.alive).toBe(false);
    const capped = await Sandbox.start({ limits: { maxMemoryMb: 200 } });
    const big = await capped.execute(
      "try:\n    b = bytearray(300_000_000)\nexcept MemoryError:\n    print('MemoryError')\nprint('still running')",
      [],
      invoker,
    );
    expect(big).toMatchObject({ status: 'ok', stdout: 'MemoryError\nstill running\n' });
  }, 60_000);

  it('kills a child whose resident memory passes its cap', async () => {
    const bomb = await Sandbox.start({ limits: { maxRssMb: 400, maxMemoryMb: 1024, wallClockMs: 20_000 } });
    const big = await bomb.execute('b = bytearray(600_000_000)\nwhile True:\n    pass', [], invoker);
    expect(big).toMatchObject({ status: 'memory', error: 'the code used more than 400 MB of memory and was stopped' });
  }, 60_000);
});
