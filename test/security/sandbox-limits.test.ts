/**
 * Attack: limits that held only while a program ran (an idle child grew to 2.96 GB after its run, a spinner
 * left behind timed out the next run, runs under 100 ms skipped the memory check). Memory is watched from spawn
 * to exit, CPU seconds are a kernel rlimit for the child's whole life, and every child ends with its program.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { Sandbox, SandboxPool, type ToolInvoker } from '../../src/sandbox/index.js';
import { processAlive } from '../support/process-alive.js';

// Every program starts a sandbox child (~0.3 s quiet, several seconds on a loaded 2-core machine).
vi.setConfig({ testTimeout: 90_000 });

const invoker: ToolInvoker = { call: async () => ({ isError: false, text: '' }) };
let pool: SandboxPool;
beforeAll(() => {
  pool = new SandboxPool({ limits: { wallClockMs: 20_000 } });
});
afterAll(() => pool.close());

it('memory a program sets to grow after it returns never grows: its child is gone', async () => {
  const sandbox = await pool.acquire();
  const pid = sandbox.pid as number;
  const result = await sandbox.execute(
    [
      'import asyncio',
      'hold = []',
      'def grow():',
      '    while True:',
      '        hold.append(bytearray(50_000_000))',
      'asyncio.get_event_loop().call_later(0.2, grow)',
    ].join('\n'),
    [],
    invoker,
  );
  expect(result.status).toBe('ok');
  await expect.poll(() => processAlive(pid)).toBe(false);
});

it('a spinner left behind does not time out the next program', async () => {
  const spinner = await (await pool.acquire()).execute(
    'import asyncio\nasyncio.get_event_loop().call_later(1, lambda: [0 for _ in iter(int, 1)])',
    [],
    invoker,
  );
  expect(spinner.status).toBe('ok');
  const next = await (await pool.acquire()).execute(
    'import asyncio\nawait asyncio.sleep(0.5)\nprint("fine")',
    [],
    invoker,
  );
  expect(next).toMatchObject({ status: 'ok', stdout: 'fine\n' });
});

it('a short program that passes the memory cap is caught when it ends, not let through between checks', async () => {
  const sandbox = await Sandbox.start({ limits: { maxRssMb: 300, maxMemoryMb: 1024 } });
  const result = await sandbox.execute('import builtins\nbuiltins.b = bytearray(400_000_000)', [], invoker);
  expect(result).toMatchObject({ status: 'memory', error: 'the code used more than 300 MB of memory and was stopped' });
});

it('an idle child is watched too: one that passes its memory cap before any program is killed', async () => {
  // Below what a loaded interpreter needs: the watchdog kills the child while it loads or waits.
  await expect(Sandbox.start({ limits: { maxRssMb: 40 } })).rejects.toMatchObject({
    code: 'SANDBOX_START_FAILED',
    message: expect.stringContaining('more than 40 MB'),
  });
});

it('CPU seconds and core files are capped by the kernel for the whole life of the child', async (context) => {
  const sandbox = await Sandbox.start({ limits: { wallClockMs: 10_000 } });
  const limits = readFileSync(`/proc/${sandbox.pid}/limits`, 'utf8');
  sandbox.close();
  const cpu = /Max cpu time\s+(\S+)\s+(\S+)/.exec(limits);
  if (cpu?.[1] === 'unlimited') {
    console.log('skipped: prlimit (util-linux) is not installed here, so no CPU rlimit is set');
    context.skip();
  }
  // The wall clock (10 s) plus 30 s for loading.
  expect(cpu?.slice(1)).toEqual(['40', '40']);
  expect(/Max core file size\s+(\S+)\s+(\S+)/.exec(limits)?.slice(1)).toEqual(['0', '0']);
});

it('a child whose program ended abnormally is discarded; the next program gets another child', async () => {
  const stuck = await Sandbox.start({ limits: { wallClockMs: 1000 } });
  const pid = stuck.pid as number;
  expect((await stuck.execute('while True:\n    pass', [], invoker)).status).toBe('timeout');
  expect(stuck.alive).toBe(false);
  await expect.poll(() => processAlive(pid)).toBe(false);
  const next = await pool.acquire();
  expect(next.pid).not.toBe(pid);
  expect((await next.execute('print("fresh")', [], invoker)).stdout).toBe('fresh\n');
});
