/**
 * How a sandbox child is spawned (docs/security.md, "Code-mode sandbox"): a private network namespace
 * (`unshare -rn`), kernel rlimits (`prlimit`: CPU seconds, no core files), Node's permission model (reads only
 * Pyodide, the runner's own files and the snapshot), no code generation from strings, and V8 caps on the
 * JavaScript heap and on Wasm memory (Python's heap). Without user namespaces the network cannot be isolated, and
 * code mode refuses to start unless the user allows it explicitly.
 */
import { isMissingPackage, MissingDependencyError } from '../optional-dependency.js';
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { SandboxError } from './sandbox-error.js';

let unshareWorks: boolean | undefined;
const found = new Map<string, string | undefined>();

/** An executable's absolute path on PATH (children get an empty environment, so no lookup happens there). */
function executable(name: string): string | undefined {
  if (!found.has(name)) {
    const dirs = (process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter).filter((d) => d !== '');
    const hit = dirs
      .map((d) => join(d, name))
      .find((path) => {
        try {
          accessSync(path, constants.X_OK);
          return true;
        } catch {
          return false;
        }
      });
    found.set(name, hit);
  }
  return found.get(name);
}

/** A private network namespace (`unshare -rn`) needs unprivileged user namespaces; probed once. */
export function networkIsolationAvailable(): boolean {
  const unshare = executable('unshare');
  unshareWorks ??= unshare !== undefined && spawnSync(unshare, ['-rn', 'true'], { stdio: 'ignore' }).status === 0;
  return unshareWorks;
}

/** Where Pyodide is installed; code mode's first use says to install it when it is not. */
export function pyodideDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
  } catch (error) {
    if (isMissingPackage(error, 'pyodide'))
      throw new MissingDependencyError('pyodide', 'Code mode (the Python sandbox)');
    throw error;
  }
}

/** The compiled runner: the child runs plain node, whatever loaded this module (tsx, vitest, dist). */
export function runnerPath(packageRoot: string): string {
  return join(packageRoot, 'dist', 'src', 'sandbox', 'runner.js');
}

/** What the spawn plan needs to know about the child's limits. */
export interface ChildLimits {
  wallClockMs: number;
  maxMemoryMb: number;
}

export interface SpawnPlanOptions {
  packageRoot: string;
  limits: ChildLimits;
  /** Passed to the runner as its only argument. */
  runnerConfig: object;
  /** Files the child may read besides Pyodide and the runner (the snapshot). */
  extraReads?: readonly string[];
  /** Run without a network namespace where none can be made (the user's explicit choice). */
  allowUnisolated?: boolean;
  /** Never use a network namespace, even where one could be made (tests of the other layers). */
  isolateNetwork?: boolean;
}

export interface SpawnPlan {
  command: string;
  args: string[];
  isolatedNetwork: boolean;
}

/** CPU seconds a child gets for loading besides its program's wall clock (Wasm compilation tiers up for ~1 s). */
const STARTUP_CPU_SECONDS = 30;
/** The runner's own JavaScript heap; Python lives in Wasm memory, capped separately. */
const JS_HEAP_MB = 128;

export function spawnPlan(options: SpawnPlanOptions): SpawnPlan {
  const runner = runnerPath(options.packageRoot);
  const node = [
    '--experimental-permission',
    `--allow-fs-read=${join(pyodideDir(), '*')}`,
    `--allow-fs-read=${join(dirname(runner), '*')}`,
    // Node reads the package.json above the runner to learn it is an ES module.
    `--allow-fs-read=${join(options.packageRoot, 'package.json')}`,
    ...(options.extraReads ?? []).map((path) => `--allow-fs-read=${path}`),
    '--disallow-code-generation-from-strings',
    `--max-old-space-size=${JS_HEAP_MB}`,
    // 64 KiB pages: growing Python's heap past the cap raises MemoryError inside the program.
    `--wasm-max-mem-pages=${Math.max(1, Math.floor(options.limits.maxMemoryMb * 16))}`,
    '--no-warnings',
    runner,
    JSON.stringify(options.runnerConfig),
  ];
  const cpu = Math.ceil(options.limits.wallClockMs / 1000) + STARTUP_CPU_SECONDS;
  const prlimit = executable('prlimit');
  const limited = prlimit
    ? [prlimit, `--cpu=${cpu}:${cpu}`, '--core=0:0', '--', process.execPath, ...node]
    : [process.execPath, ...node];
  const unshare = executable('unshare');
  if (requireIsolation(options) && unshare)
    return { command: unshare, args: ['-rn', ...limited], isolatedNetwork: true };
  return { command: limited[0] as string, args: limited.slice(1), isolatedNetwork: false };
}

/**
 * Whether children get a private network namespace; throws `SANDBOX_UNISOLATED` when they cannot and the user
 * did not allow running without one.
 */
export function requireIsolation(options: { allowUnisolated?: boolean; isolateNetwork?: boolean }): boolean {
  if ((options.isolateNetwork ?? true) && networkIsolationAvailable()) return true;
  if (!options.allowUnisolated) throw unisolatedError();
  return false;
}

/** The refusal when the network cannot be isolated and the user did not allow that. */
export function unisolatedError(): SandboxError {
  return new SandboxError(
    'SANDBOX_UNISOLATED',
    'code mode needs a private network namespace for its sandbox (`unshare -rn`, which needs unprivileged user ' +
      'namespaces), and this machine cannot make one: Python programs would reach the network. Enable user ' +
      'namespaces (docs/security.md), or pass --allow-unisolated-sandbox (library: allowUnisolated: true) to ' +
      'run them anyway.',
  );
}
