/**
 * What the sandbox child locks before it says ready (docs/security.md, "Code-mode sandbox"): the handles from
 * Python into Pyodide's JavaScript API are removed and the dangerous API functions replaced by ones that throw,
 * and Node's network modules refuse every connection, listener and lookup. Both are defence in depth: the
 * boundary is the process (permission model, no code generation from strings, private network namespace).
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { PyodideAPI } from 'pyodide';

const require = createRequire(import.meta.url);

function refusing(what: string): () => never {
  return () => {
    throw Object.assign(new Error(`${what} is disabled in the sandbox`), { code: 'ERR_SANDBOX_DISABLED' });
  };
}

const sealed = new WeakMap<object, Set<string>>();

/**
 * Replaces `target[key]` for good: not writable, not configurable, so no proxy from Python can restore it. A
 * property that cannot be replaced stops the child (it must not run a program half locked).
 */
function seal(target: object | undefined, key: string, what: string): void {
  if (!target || !(key in target) || sealed.get(target)?.has(key)) return;
  const own = Object.getOwnPropertyDescriptor(target, key);
  if (own && !own.configurable) throw new Error(`cannot lock ${what}: it is not configurable`);
  Object.defineProperty(target, key, { value: refusing(what), writable: false, configurable: false });
  sealed.set(target, (sealed.get(target) ?? new Set()).add(key));
}

function sealAll(target: object | undefined, keys: readonly string[], prefix: string): void {
  for (const key of keys) seal(target, key, `${prefix}.${key}`);
}

const functionKeys = (target: object): string[] =>
  Object.getOwnPropertyNames(target).filter(
    (k) => k !== 'constructor' && typeof Object.getOwnPropertyDescriptor(target, k)?.value === 'function',
  );

/** Every outgoing connection, listener and name lookup Node offers throws from now on. */
export function blockNetwork(): void {
  const net = require('node:net') as typeof import('node:net');
  const tls = require('node:tls') as typeof import('node:tls');
  const dgram = require('node:dgram') as typeof import('node:dgram');
  const dns = require('node:dns') as typeof import('node:dns');
  const http = require('node:http') as typeof import('node:http');
  const https = require('node:https') as typeof import('node:https');
  // net.Socket#connect is where every TCP and IPC client ends up (http, tls, undici's fetch, ws).
  sealAll(net.Socket.prototype, ['connect'], 'net.Socket');
  sealAll(net.Server.prototype, ['listen'], 'net.Server');
  sealAll(net, ['connect', 'createConnection', 'createServer'], 'net');
  sealAll(tls, ['connect', 'createServer'], 'tls');
  sealAll(dgram, ['createSocket'], 'dgram');
  sealAll(dgram.Socket.prototype, ['bind', 'connect', 'send'], 'dgram.Socket');
  for (const resolver of [dns.Resolver.prototype, dns.promises.Resolver.prototype])
    sealAll(resolver, functionKeys(resolver), 'dns.Resolver');
  sealAll(dns, functionKeys(dns), 'dns');
  sealAll(dns.promises, functionKeys(dns.promises), 'dns.promises');
  for (const module of [http, https]) sealAll(module, ['request', 'get', 'createServer'], 'http');
  for (const name of ['fetch', 'WebSocket', 'EventSource'])
    Reflect.deleteProperty(globalThis as Record<string, unknown>, name);
  // ES module namespaces of built-ins copy their exports; make them see the sealed functions too.
  syncBuiltinESMExports();
}

/** Public API functions that reach the host (files, sockets, output streams) or load code. */
const PUBLIC_HANDLES = [
  'useNodeSockFS',
  'mountNodeFS',
  'mountNativeFS',
  'setStdout',
  'setStderr',
  'setStdin',
  'loadPackage',
  'loadPackagesFromImports',
  'registerJsModule',
  'unregisterJsModule',
  'registerComlink',
  'setInterruptBuffer',
  'unpackArchive',
  'makeMemorySnapshot',
];

/** Internal API functions with the same reach (`pyodide._api`). */
const INTERNAL_HANDLES = [
  'initializeNodeSockFS',
  'loadBinaryFile',
  'loadDynlib',
  'install',
  'rawRun',
  'runPythonInternal',
  'saveState',
  'restoreState',
  'makeSnapshot',
  'restoreSnapshot',
  'initializeStreams',
];

/** Python source, run in a scratch namespace: forget every module that is a JavaScript object. */
const FORGET_JS_MODULES = `
import sys
for name in [n for n in sys.modules if n in ('js', 'pyodide_js') or n.startswith(('js.', 'pyodide_js.'))]:
    del sys.modules[name]
`;

/**
 * Takes Pyodide's JavaScript API out of Python's reach: `js` and `pyodide_js` (and submodules such as
 * `pyodide_js._api`) are unregistered and forgotten, and the API's host-reaching functions throw even for a
 * handle that survived somewhere.
 */
export function sealInterpreter(pyodide: PyodideAPI): void {
  pyodide.unregisterJsModule('js');
  pyodide.unregisterJsModule('pyodide_js');
  const scratch = pyodide.globals.get('dict')();
  pyodide.runPython(FORGET_JS_MODULES, { globals: scratch });
  scratch.destroy();
  const api = pyodide as unknown as Record<string, unknown> & { _api?: object; FS?: object };
  sealAll(api, PUBLIC_HANDLES, 'pyodide');
  sealAll(api._api, INTERNAL_HANDLES, 'pyodide._api');
  sealAll((api._api as { public_api?: object } | undefined)?.public_api, PUBLIC_HANDLES, 'pyodide');
  sealAll(api.FS, ['mount', 'unmount'], 'pyodide.FS');
}
