import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Sandbox,
  SandboxPool,
  networkIsolationAvailable,
  type CodeTool,
  type ToolInvoker,
} from '../../src/sandbox/index.js';

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
let sandbox: Sandbox;
let listener: Server;
let port: number;
beforeAll(async () => {
  pool = new SandboxPool(1);
  sandbox = await pool.acquire();
  listener = createServer((_req, res) => res.end('reached the host'));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as AddressInfo).port;
}, 60_000);
afterAll(async () => {
  await sandbox.close();
  await pool.close();
  listener.close();
});

const run = (code: string, limits = {}) => sandbox.execute(code, [ADD], invoker, limits);

describe('Python sandbox', () => {
  it('runs code that awaits tools concurrently with asyncio.gather and prints the result', async () => {
    maxInFlight = 0;
    const result = await run('import asyncio\nprint(await asyncio.gather(add(a=1, b=2), add(3, 4), add(a=5, b=6)))');
    expect(result).toMatchObject({ status: 'ok', stdout: "['3', '7', '11']\n", toolCalls: 3 });
    expect(maxInFlight).toBeGreaterThanOrEqual(2);
  });

  it('raises tool failures and invalid arguments as ToolError the code can catch', async () => {
    const result = await run(
      "for args in ({'a': 13, 'b': 1}, {'a': 'x', 'b': 1}, {'b': 1}):\n    try:\n        await add(**args)\n    except ToolError as e:\n        print('ToolError:', e)",
    );
    expect(result.stdout).toBe(
      "ToolError: unlucky number\nToolError: invalid arguments for add: a must be number\nToolError: invalid arguments for add: arguments must have required property 'a'\n",
    );
  });

  it('refuses tools that were not given to this execution', async () => {
    const result = await run("from _ptc_host import call\nprint(await call('delete_everything', '{}'))");
    expect(result.stdout).toContain('tool delete_everything is not available to this code');
  });

  it('reports Python exceptions with status error and keeps working', async () => {
    const failed = await run('print("before")\n1/0');
    expect(failed).toMatchObject({ status: 'error', stdout: 'before\n' });
    expect(failed.error).toContain('ZeroDivisionError');
    expect((await run('print(2 + 2)')).stdout).toBe('4\n');
  });

  it('cannot reach the host: no Function constructor, no host files, no environment, no network', async () => {
    const result = await run(
      [
        'from _ptc_host import call',
        'import os',
        'for name, probe in [',
        "    ('function', lambda: call.constructor.constructor('return process')()),",
        "    ('file', lambda: open('/etc/passwd').read()),",
        `    ('net', lambda: __import__('urllib.request').request.urlopen('http://127.0.0.1:${port}/').read()),`,
        "    ('spawn', lambda: __import__('subprocess').run(['id'], capture_output=True)),",
        "    ('import js', lambda: __import__('js').process),",
        "    ('run_js', lambda: __import__('pyodide.code', fromlist=['run_js']).run_js('process.pid')),",
        ']:',
        '    try:',
        '        probe()',
        "        print(name, 'OPEN')",
        '    except Exception as e:',
        "        print(name, 'blocked')",
        "print('home' in os.environ.get('HOME', ''), 'PATH=/usr' in str(os.environ))",
      ].join('\n'),
    );
    expect(result.stdout).toBe(
      'function blocked\nfile blocked\nnet blocked\nspawn blocked\nimport js blocked\nrun_js blocked\nTrue False\n',
    );
    if (!networkIsolationAvailable())
      console.log('unshare -rn is not available here: the sandbox keeps network access');
  });

  it('cuts output at the cap with a marker', async () => {
    const result = await run("for i in range(10000):\n    print('x' * 100)", { outputBytes: 1000 });
    expect(result.stdout.length).toBeLessThanOrEqual(1000);
    expect(result.truncated).toBe(true);
  });

  it('kills an endless loop at the wall clock and a memory bomb at the RSS cap; the pool gives a fresh sandbox', async () => {
    const loop = await pool.acquire();
    const stuck = await loop.execute('while True:\n    pass', [], invoker, { wallClockMs: 1500 });
    expect(stuck).toMatchObject({ status: 'timeout', error: 'the code ran longer than 1500 ms and was stopped' });
    expect(loop.alive).toBe(false);
    const bomb = await pool.acquire();
    const big = await bomb.execute('b = bytearray(600_000_000)\nwhile True:\n    pass', [], invoker, {
      maxRssMb: 400,
      wallClockMs: 20_000,
    });
    expect(big.status).toBe('memory');
    const fresh = await pool.acquire();
    expect((await fresh.execute('print("alive")', [], invoker)).stdout).toBe('alive\n');
    await fresh.close();
  }, 60_000);
});
