/**
 * Pyodide memory snapshots: a child that has run no program loads the interpreter once, takes a snapshot of
 * its memory and sends it; later children start from that file in ~0.3 s instead of ~2 s. Every child still
 * runs one program and exits, so the snapshot only makes fresh children cheap; it never carries state between
 * programs. The file lives in the user's cache directory (mode 0600), named for the Pyodide version and a hash
 * of the runner, so an upgrade makes a new one. A snapshot a child cannot start from is deleted and children
 * load from scratch for the rest of the process.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnChild } from './child.js';
import { pyodideDir, runnerPath, type SpawnPlanOptions } from './isolation.js';
import { INTERPRETER_SETUP, type RunnerConfig } from './protocol.js';

/** A snapshot of Pyodide 314 after setup is ~31 MB. */
const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;
const MAKE_TIMEOUT_MS = 120_000;

const making = new Map<string, Promise<string | undefined>>();

/** Where the snapshot for this Pyodide and this runner lives. */
export function snapshotPath(packageRoot: string): string {
  const base = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  const { version } = JSON.parse(readFileSync(join(pyodideDir(), 'package.json'), 'utf8')) as { version: string };
  const key = createHash('sha256')
    .update(readFileSync(runnerPath(packageRoot)))
    .update(INTERPRETER_SETUP)
    .update(`${process.version} ${process.arch}`)
    .digest('hex')
    .slice(0, 16);
  return join(base, 'mcp-bedrock-bridge', `pyodide-${version}-${key}.snapshot`);
}

function makeSnapshot(plan: Omit<SpawnPlanOptions, 'runnerConfig'>): Promise<Buffer> {
  const runnerConfig: RunnerConfig = { makeSnapshot: true, maxPayloadBytes: 0 };
  return new Promise<Buffer>((resolve, reject) => {
    const child = spawnChild(
      { ...plan, runnerConfig },
      {
        maxBodyBytes: (header) => (header.t === 'snapshot' ? MAX_SNAPSHOT_BYTES : 0),
        onFrame: ({ header, body }) => {
          if (header.t === 'snapshot' && body) resolve(body);
          else reject(new Error(`unexpected ${header.t} frame`));
        },
        onViolation: (reason) => reject(new Error(reason)),
      },
    );
    const timer = setTimeout(() => child.process.kill('SIGKILL'), MAKE_TIMEOUT_MS);
    child.process.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${signal ?? code}) ${child.stderrTail()}`));
    });
  });
}

function store(path: string, snapshot: Buffer): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, snapshot, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * The snapshot file to start children from, made on first use; undefined when none can be made here (children
 * then load from scratch), reported once through `onWarning`.
 */
export function ensureSnapshot(
  plan: Omit<SpawnPlanOptions, 'runnerConfig' | 'extraReads'>,
  onWarning?: (message: string) => void,
): Promise<string | undefined> {
  const path = snapshotPath(plan.packageRoot);
  let pending = making.get(path);
  if (!pending) {
    pending = existsSync(path)
      ? Promise.resolve(path)
      : makeSnapshot(plan)
          .then((snapshot) => {
            store(path, snapshot);
            return path;
          })
          .catch((error: Error) => {
            onWarning?.(`sandbox: no interpreter snapshot (${error.message}); children load in ~2 s instead of ~0.3 s`);
            return undefined;
          });
    making.set(path, pending);
  }
  return pending;
}

/** A child could not start from this snapshot: delete it and load from scratch for the rest of this process. */
export function discardSnapshot(path: string): void {
  rmSync(path, { force: true });
  making.set(path, Promise.resolve(undefined));
}
