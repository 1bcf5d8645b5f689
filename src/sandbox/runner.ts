/**
 * The sandbox child: loads Pyodide under Node's permission model and runs Python sent by the parent. Tool calls
 * leave through the IPC channel; the parent decides whether they run. Isolation comes from how the parent spawns
 * this process (permission model, no code generation from strings, no network namespace), not from here.
 */
import { constants as fsConstants } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { ChildMessage, ParentMessage } from './protocol.js';

const send = (message: ChildMessage): void => void process.send?.(message);

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
});
// Best-effort hygiene (the process is the boundary): no `js` bridge to the host's globals from Python.
pyodide.unregisterJsModule('js');
pyodide.unregisterJsModule('pyodide_js');
pyodide.runPython("import sys\nsys.modules.pop('js', None)\nsys.modules.pop('pyodide_js', None)");
delete (globalThis as { fetch?: unknown }).fetch;

let execId = 0;
let nextCall = 0;
const pending = new Map<number, (json: string) => void>();
pyodide.registerJsModule('_ptc_host', {
  call: (name: string, argsJson: string) =>
    new Promise<string>((resolve) => {
      const callId = ++nextCall;
      pending.set(callId, resolve);
      send({ t: 'call', execId, callId, name, args: JSON.parse(argsJson) as unknown });
    }),
});

process.on('message', (message: ParentMessage) => {
  if (message.t === 'result') {
    pending.get(message.callId)?.(JSON.stringify({ ok: message.ok, text: message.text }));
    pending.delete(message.callId);
    return;
  }
  execId = message.execId;
  output = { stdout: '', stderr: '', budget: message.limits.outputBytes, truncated: false };
  const globals = pyodide.globals.get('dict')();
  const finish = (ok: boolean, error?: string): void => {
    globals.destroy();
    const done: ChildMessage = {
      t: 'done',
      execId: message.execId,
      ok,
      stdout: output.stdout,
      stderr: output.stderr,
      truncated: output.truncated,
    };
    send(error === undefined ? done : { ...done, error });
  };
  pyodide
    .runPythonAsync(message.prelude, { globals })
    .then(() => pyodide.runPythonAsync(message.code, { globals }))
    .then(
      () => finish(true),
      (error: Error) =>
        finish(
          false,
          String(error.message)
            .split('\n')
            .filter((l) => l.trim() !== '')
            .slice(-3)
            .join('\n'),
        ),
    );
});

send({ t: 'ready', loadMs: Math.round(performance.now() - started) });
