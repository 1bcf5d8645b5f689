/**
 * Attack: without a network namespace, `pyodide_js._api.public_api.useNodeSockFS()` and
 * `asyncio.open_connection` reached a host service (the same handle offered `mountNodeFS` and `setStdout`).
 * These tests run the child WITHOUT a namespace on purpose, so the layers inside it are what is tested: no
 * handle to Pyodide's JavaScript API within Python's reach, those API functions disabled, Node's network modules
 * refusing. Where the namespace cannot be made, code mode refuses to start unless the user allows it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { Sandbox, SandboxPool, type ToolInvoker } from '../../src/sandbox/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { bareEnv, runCli } from '../support/cli-process.js';

// Every program starts a sandbox child (~0.3 s quiet, several seconds on a loaded 2-core machine).
vi.setConfig({ testTimeout: 90_000 });

const invoker: ToolInvoker = { call: async () => ({ isError: false, text: '' }) };
let listener: Server;
let port: number;
let connections = 0;
beforeAll(async () => {
  listener = createServer((socket) => {
    connections++;
    socket.end('reached the host');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as AddressInfo).port;
});
afterAll(() => listener.close());

const unisolated = { allowUnisolated: true, isolateNetwork: false, limits: { wallClockMs: 20_000 } };

it("without a network namespace, the reported attack (pyodide_js._api's useNodeSockFS) reaches nothing", async () => {
  connections = 0;
  const sandbox = await Sandbox.start(unisolated);
  expect(sandbox.isolatedNetwork).toBe(false);
  const result = await sandbox.execute(
    [
      'import asyncio, gc, sys',
      'def attempt(name, probe):',
      '    try:',
      '        probe()',
      "        print(name, 'OPEN')",
      '    except Exception as e:',
      "        print(name, 'blocked')",
      "attempt('sys.modules handle', lambda: sys.modules['pyodide_js._api'].public_api.useNodeSockFS())",
      "attempt('import pyodide_js', lambda: __import__('pyodide_js')._api.public_api.useNodeSockFS())",
      "attempt('import js', lambda: __import__('js'))",
      // Any JavaScript object anywhere in Python's heap that offers the API's host-reaching functions.
      "names = ('useNodeSockFS', 'mountNodeFS', 'setStdout', 'public_api', '_module', 'FS', 'runPython')",
      'handles = sorted({f"{type(o).__name__}.{n}" for o in gc.get_objects()',
      "           if type(o).__name__.startswith('Js') for n in names if hasattr(o, n)})",
      "print('handles', handles)",
      `attempt('socket', lambda: __import__('socket').create_connection(('127.0.0.1', ${port}), timeout=2))`,
      "attempt('unix socket', lambda: __import__('socket').socket(1).connect('/var/run/postgresql/.s.PGSQL.5432'))",
      `attempt('urllib', lambda: __import__('urllib.request').request.urlopen('http://127.0.0.1:${port}/', timeout=2))`,
      'try:',
      `    await asyncio.wait_for(asyncio.open_connection('127.0.0.1', ${port}), 3)`,
      "    print('asyncio OPEN')",
      'except Exception:',
      "    print('asyncio blocked')",
      'try:',
      '    from pyodide.http import pyfetch',
      `    await pyfetch('http://127.0.0.1:${port}/')`,
      "    print('pyfetch OPEN')",
      'except Exception:',
      "    print('pyfetch blocked')",
    ].join('\n'),
    [],
    invoker,
  );
  expect(result.stdout).toBe(
    [
      'sys.modules handle blocked',
      'import pyodide_js blocked',
      'import js blocked',
      'handles []',
      'socket blocked',
      'unix socket blocked',
      'urllib blocked',
      'asyncio blocked',
      'pyfetch blocked',
      '',
    ].join('\n'),
  );
  expect(connections).toBe(0);
});

/** Runs a module in a plain Node process (no sandbox flags), as the runner would use ours. */
function nodeModule(source: string): { stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', source], { encoding: 'utf8' });
  return { stdout: result.stdout, stderr: result.stderr };
}

it("the child's Node network modules refuse every connection, listener and lookup", async () => {
  connections = 0;
  const lockdown = join(process.cwd(), 'dist', 'src', 'sandbox', 'lockdown.js');
  const { stdout } = nodeModule(`
    import { blockNetwork } from ${JSON.stringify(lockdown)};
    import net from 'node:net'; import http from 'node:http'; import tls from 'node:tls';
    import dgram from 'node:dgram'; import dns from 'node:dns'; import * as netNs from 'node:net';
    blockNetwork();
    const attempts = {
      'net.connect': () => net.connect(${port}, '127.0.0.1'),
      'new net.Socket().connect': () => new net.Socket().connect(${port}, '127.0.0.1'),
      'ESM net.createConnection': () => netNs.createConnection(${port}, '127.0.0.1'),
      'http.get': () => http.get('http://127.0.0.1:${port}/'),
      'http.Agent': () => new http.Agent().createConnection({ port: ${port}, host: '127.0.0.1' }),
      'tls.connect': () => tls.connect(${port}, '127.0.0.1'),
      'net.createServer': () => net.createServer().listen(0),
      'dgram': () => dgram.createSocket('udp4').send('x', ${port}, '127.0.0.1'),
      'dns.lookup': () => dns.lookup('example.com', () => {}),
      'dns.promises': () => dns.promises.resolve4('example.com'),
      'fetch': () => fetch('http://127.0.0.1:${port}/'),
      'restore': () => {
        net.Socket.prototype.connect = function () {};
        new net.Socket().connect(${port}, '127.0.0.1');
      },
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      try { attempt(); console.log(name, 'OPEN'); } catch { console.log(name, 'blocked'); }
    }
    await new Promise((r) => setTimeout(r, 500));
  `);
  expect(stdout.trim().split('\n')).toEqual([
    'net.connect blocked',
    'new net.Socket().connect blocked',
    'ESM net.createConnection blocked',
    'http.get blocked',
    'http.Agent blocked',
    'tls.connect blocked',
    'net.createServer blocked',
    'dgram blocked',
    'dns.lookup blocked',
    'dns.promises blocked',
    'fetch blocked',
    'restore blocked',
  ]);
  expect(connections).toBe(0);
});

it("Pyodide's host-reaching API functions throw once the interpreter is sealed", () => {
  const lockdown = join(process.cwd(), 'dist', 'src', 'sandbox', 'lockdown.js');
  const { stdout, stderr } = nodeModule(`
    import { loadPyodide } from 'pyodide';
    import { sealInterpreter } from ${JSON.stringify(lockdown)};
    const pyodide = await loadPyodide({ stdout: () => {} });
    const api = pyodide._api;
    sealInterpreter(pyodide);
    const attempts = {
      useNodeSockFS: () => pyodide.useNodeSockFS(),
      'public_api.useNodeSockFS': () => api.public_api.useNodeSockFS(),
      initializeNodeSockFS: () => api.initializeNodeSockFS(),
      mountNodeFS: () => pyodide.mountNodeFS('/mnt', '/'),
      'FS.mount': () => pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: '/' }, '/tmp'),
      setStdout: () => pyodide.setStdout({ batched: () => {} }),
      loadPackage: () => pyodide.loadPackage('micropip'),
      registerJsModule: () => pyodide.registerJsModule('js2', globalThis),
      reassign: () => { pyodide.setStdout = () => {}; pyodide.setStdout(); },
      'python import pyodide_js': () => pyodide.runPython('import pyodide_js'),
      'python sys.modules': () => pyodide.runPython("import sys\\nsys.modules['pyodide_js._api']"),
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      try { attempt(); console.log(name, 'OPEN'); } catch { console.log(name, 'blocked'); }
    }
  `);
  expect(stderr).toBe('');
  expect(stdout.trim().split('\n')).toEqual([
    'useNodeSockFS blocked',
    'public_api.useNodeSockFS blocked',
    'initializeNodeSockFS blocked',
    'mountNodeFS blocked',
    'FS.mount blocked',
    'setStdout blocked',
    'loadPackage blocked',
    'registerJsModule blocked',
    'reassign blocked',
    'python import pyodide_js blocked',
    'python sys.modules blocked',
  ]);
}, 60_000);

it('where the network cannot be isolated, the sandbox refuses to start unless that is allowed', async () => {
  expect(() => new SandboxPool({ isolateNetwork: false })).toThrow(
    expect.objectContaining({
      code: 'SANDBOX_UNISOLATED',
      message: expect.stringContaining('--allow-unisolated-sandbox'),
    }),
  );
  await expect(Sandbox.start({ isolateNetwork: false })).rejects.toMatchObject({ code: 'SANDBOX_UNISOLATED' });
});

it('mcp-bedrock refuses code mode without isolation, and runs it with --allow-unisolated-sandbox', async () => {
  const emulator = await startEmulator({ port: 0 });
  try {
    // A machine without `unshare`: a PATH that has none.
    const env = bareEnv(mkdtempSync(join(tmpdir(), 'sandbox-cli-home-')), {
      PATH: mkdtempSync(join(tmpdir(), 'no-unshare-')),
    });
    const audit = [
      'run',
      '--endpoint',
      emulator.url,
      '--code-mode',
      'expenses',
      'Which engineers exceeded their Q3 travel budget?',
    ];
    const refused = await runCli(audit, env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[SANDBOX_UNISOLATED]');
    expect(refused.stderr).toContain('--allow-unisolated-sandbox');
    expect(refused.stdout).toBe('');
    const allowed = await runCli([...audit, '--allow-unisolated-sandbox'], env);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('without network isolation');
    expect(allowed.stdout).toContain('Grace Taylor: 6474.46 spent');
  } finally {
    await emulator.close();
  }
}, 120_000);
