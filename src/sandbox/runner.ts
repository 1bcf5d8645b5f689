/**
 * The sandbox child: loads Pyodide under Node's permission model (from the memory snapshot when it has one),
 * locks itself down (lockdown.ts), says ready, runs exactly one program and exits. Frames go out on fd 3 and
 * come in on stdin (frames.ts). Tool calls leave as frames; the parent decides whether they run. Isolation comes
 * from how the parent spawns this process (permission model, no code generation from strings, no network
 * namespace, rlimits), not from here.
 */
import { constants as fsConstants, readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { encodeFrame, FrameReader } from './frames.js';
import { blockNetwork, sealInterpreter } from './lockdown.js';
import {
  INTERPRETER_SETUP,
  oversizeArguments,
  type ChildHeader,
  type DoneBody,
  type ParentHeader,
  type RunnerConfig,
} from './protocol.js';
import { PRELUDE_BASE, toolStubs } from './python-stubs.js';

const config = JSON.parse(process.argv[2] ?? '{}') as RunnerConfig;

/**
 * Frames go out with blocking writes on fd 3: nothing else runs in this process until a frame is out, so a
 * program's leftover timer cannot run between the end of the program and its `done` (the child exits right
 * after writing it).
 */
function send(header: ChildHeader, body?: string | Uint8Array): void {
  const frame = encodeFrame(header, body);
  for (let offset = 0; offset < frame.length; ) {
    try {
      offset += writeSync(3, frame, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}
// Without its parent a child has nothing to do.
process.stdin.on('end', () => process.exit(0));

// Under the permission model process.binding throws, but Pyodide's NODEFS init only needs fs constants.
const permission = (process as { permission?: unknown }).permission;
if (permission) {
  const host = process as unknown as { binding: (name: string) => unknown };
  const original = host.binding.bind(process);
  host.binding = (name: string) => (name === 'constants' ? { fs: fsConstants } : original(name));
}

const started = performance.now();
const require = createRequire(import.meta.url);
const { loadPyodide } = (await import('pyodide')) as typeof import('pyodide');
let output = { stdout: '', stderr: '', budget: 0, truncated: false };
const write = (stream: 'stdout' | 'stderr') => (text: string) => {
  const line = `${text}\n`;
  if (output.budget <= 0) {
    output.truncated = true;
    return;
  }
  const kept = line.length <= output.budget ? line : line.slice(0, output.budget);
  output[stream] += kept;
  output.budget -= kept.length;
  if (kept.length < line.length) output.truncated = true;
};
const pyodide = await loadPyodide({
  indexURL: `${dirname(require.resolve('pyodide/package.json'))}/`,
  jsglobals: Object.create(null) as object,
  env: {},
  stdout: write('stdout'),
  stderr: write('stderr'),
  ...(config.sendSnapshot && { _makeSnapshot: true }),
  ...(config.snapshot !== undefined && { _loadSnapshot: readFileSync(config.snapshot) }),
});
pyodide.runPython(INTERPRETER_SETUP);

/**
 * Trusted code run once before `ready`, shaped like a real program (stubs, concurrent tool calls, a ToolError):
 * the first program in a fresh interpreter costs ~300 ms more than later ones (V8 compiles Wasm functions
 * lazily, Python fills its caches), and this pays that while the child waits in the pool instead of during the
 * user's program. It runs in a copy of the base namespace and leaves no names behind.
 */
const WARM_TOOL = { name: 'warm', description: 'Warms the interpreter.', inputSchema: { type: 'object' } };
const WARM_UP = `${toolStubs([WARM_TOOL])}
results = await asyncio.gather(*[warm(i=i) for i in range(3)])
try:
    raise ToolError('x')
except ToolError:
    pass
print(sorted(results), f'{len(results)}', {k: v for k, v in enumerate(results)})
`;

// Before anything else runs in it: the snapshot is of a clean interpreter, whatever this child runs later.
if (config.sendSnapshot) send({ t: 'snapshot' }, pyodide.makeMemorySnapshot());

let nextCall = 0;
let warming = true;
const pending = new Map<number, (json: string) => void>();
pyodide.registerJsModule('_ptc_host', {
  call: (name: unknown, argsJson: unknown) =>
    new Promise<string>((resolve) => {
      if (warming) return resolve(JSON.stringify({ ok: true, text: 'warm' }));
      const args = String(argsJson);
      const bytes = Buffer.byteLength(args);
      if (bytes > config.maxPayloadBytes)
        return resolve(JSON.stringify({ ok: false, text: oversizeArguments(bytes, config.maxPayloadBytes) }));
      const callId = ++nextCall;
      pending.set(callId, resolve);
      send({ t: 'call', callId, name: String(name) }, args);
    }),
});
const runPythonAsync = pyodide.runPythonAsync.bind(pyodide);
const newDict = pyodide.globals.get('dict');
// Every program's namespace is a copy of this one, made before the child is ready.
const base = newDict();
await runPythonAsync(PRELUDE_BASE, { globals: base });
const scratch = base.copy();
await runPythonAsync(WARM_UP, { globals: scratch });
scratch.destroy();
warming = false;
sealInterpreter(pyodide);
blockNetwork();

const finish = (ok: boolean, error?: string): void => {
  const body: DoneBody = { stdout: output.stdout, stderr: output.stderr, ...(error !== undefined && { error }) };
  send({ t: 'done', ok, truncated: output.truncated }, JSON.stringify(body));
  process.exit(0);
};
const run = (outputBytes: number, program: { stubs: string; code: string }): void => {
  output = { stdout: '', stderr: '', budget: outputBytes, truncated: false };
  const globals = base.copy();
  runPythonAsync(program.stubs, { globals })
    .then(() => runPythonAsync(program.code, { globals }))
    .then(
      () => finish(true),
      (error: Error) =>
        finish(
          false,
          String(error.message)
            .split('\n')
            .filter((l) => l.trim() !== '')
            .slice(-3)
            .join('\n')
            .slice(-4096),
        ),
    );
};

let ran = false;
// The parent is trusted: its frames are parsed as they are.
const reader = new FrameReader<ParentHeader>({
  maxHeaderBytes: 4096,
  parseHeader: (text) => JSON.parse(text) as ParentHeader,
  maxBodyBytes: () => Number.MAX_SAFE_INTEGER,
  onViolation: () => process.exit(70),
  onFrame: ({ header: message, body }) => {
    const text = body?.toString('utf8') ?? '';
    if (message.t === 'result') {
      pending.get(message.callId)?.(JSON.stringify({ ok: message.ok, text }));
      pending.delete(message.callId);
    } else if (!ran) {
      // One program per child: a second `exec` is ignored, whatever sent it.
      ran = true;
      run(message.outputBytes, JSON.parse(text) as { stubs: string; code: string });
    }
  },
});
process.stdin.on('data', (chunk: Buffer) => reader.push(chunk));
send({ t: 'ready', loadMs: Math.round(performance.now() - started) });
