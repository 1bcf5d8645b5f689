/**
 * Attack: oversized tool arguments were parsed by the parent before the size check (40 × 20 MB took the host to
 * 478 MB and blocked its event loop for 445 ms), and every killed child leaked a temporary directory. Sizes are
 * now checked on the raw bytes: an oversized body is skipped as it streams past, never buffered or parsed.
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { encodeFrame, FrameReader, type Frame } from '../../src/sandbox/frames.js';
import { Sandbox, type CodeTool, type ToolInvoker } from '../../src/sandbox/index.js';

// Every program starts a sandbox child (~0.3 s quiet, several seconds on a loaded 2-core machine).
vi.setConfig({ testTimeout: 90_000 });

const MB = 1024 * 1024;

it('the parent reads 40 frames of 20 MB arguments holding at most one small frame, and stays in step', () => {
  const frames: Frame<{ t: string; n: number }>[] = [];
  const reader = new FrameReader<{ t: string; n: number }>({
    maxHeaderBytes: 4096,
    parseHeader: (text) => JSON.parse(text) as { t: string; n: number },
    maxBodyBytes: () => MB,
    onFrame: (frame) => frames.push(frame),
    onViolation: (reason) => {
      throw new Error(reason);
    },
  });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  for (let n = 0; n < 40; n++) {
    // A header promising 20 MB, then the 20 MB arriving in 64 KiB pieces, as a pipe delivers them.
    const head = encodeFrame({ t: 'call', n });
    head.writeUInt32BE(20 * MB, 4);
    reader.push(head);
    for (let sent = 0; sent < 20 * MB; sent += chunk.length) reader.push(chunk);
  }
  reader.push(encodeFrame({ t: 'call', n: 40 }, '{"a":1}'));
  expect(frames.map((f) => [f.header.n, f.body === undefined, f.bodyBytes])).toEqual([
    ...Array.from({ length: 40 }, (_, n) => [n, true, 20 * MB]),
    [40, false, 7],
  ]);
  expect(frames[40]?.body?.toString()).toBe('{"a":1}');
  expect(reader.peakBufferedBytes).toBeLessThanOrEqual(4096);
});

it('a header larger than its limit is a protocol violation, not a buffer', () => {
  const violations: string[] = [];
  const reader = new FrameReader<unknown>({
    maxHeaderBytes: 4096,
    parseHeader: (text) => JSON.parse(text),
    maxBodyBytes: () => MB,
    onFrame: () => {},
    onViolation: (reason) => violations.push(reason),
  });
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32BE(500 * MB, 0);
  reader.push(prefix);
  reader.push(Buffer.alloc(64 * 1024));
  expect(violations).toEqual([`a frame header of ${500 * MB} bytes (limit 4096)`]);
  expect(reader.peakBufferedBytes).toBeLessThanOrEqual(64 * 1024);
});

it('a program sending 40 calls with 20 MB of arguments gets 40 refusals; the tool never runs', async () => {
  const ECHO: CodeTool = { name: 'echo', description: 'echo', inputSchema: { type: 'object' } };
  let ran = 0;
  const invoker: ToolInvoker = {
    call: async () => {
      ran++;
      return { isError: false, text: 'ran' };
    },
  };
  const sandbox = await Sandbox.start({ limits: { wallClockMs: 30_000 } });
  const result = await sandbox.execute(
    [
      'import asyncio, json',
      'from _ptc_host import call',
      "args = json.dumps({'a': 'x' * 20_000_000})",
      'replies = await asyncio.gather(*[call("echo", args) for _ in range(40)])',
      "print(sorted({json.loads(r)['text'] for r in replies}), len(replies))",
    ].join('\n'),
    [ECHO],
    invoker,
  );
  expect(result.stdout).toBe("['arguments of 20000009 bytes are larger than the 1048576-byte limit'] 40\n");
  expect(ran).toBe(0);
}, 60_000);

it('killed children leave no temporary directory behind (their working directory is not one)', async () => {
  // A temporary folder of this test's own, so other processes' files cannot count: whatever the parent creates
  // under os.tmpdir() while these children run and die lands here.
  const own = mkdtempSync(join(tmpdir(), 'sandbox-tmp-'));
  const previous = process.env['TMPDIR'];
  process.env['TMPDIR'] = own;
  try {
    const invoker: ToolInvoker = { call: async () => ({ isError: false, text: '' }) };
    const timeout = await Sandbox.start({ limits: { wallClockMs: 1000 } });
    expect(readlinkSync(`/proc/${timeout.pid}/cwd`).startsWith(tmpdir())).toBe(false);
    expect((await timeout.execute('while True:\n    pass', [], invoker)).status).toBe('timeout');
    const memory = await Sandbox.start({ limits: { maxRssMb: 300, maxMemoryMb: 1024 } });
    expect((await memory.execute('b = bytearray(400_000_000)', [], invoker)).status).toBe('memory');
    const idle = await Sandbox.start();
    idle.close();
    expect(readdirSync(own)).toEqual([]);
  } finally {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    rmSync(own, { recursive: true, force: true });
  }
}, 60_000);
