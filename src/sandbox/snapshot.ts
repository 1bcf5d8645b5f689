/**
 * Pyodide memory snapshots: the first child on a machine loads the interpreter from scratch, sends a snapshot of
 * its memory before it has run anything but the setup (and then serves as a sandbox like any other); later
 * children start from that file in ~0.3 s instead of ~2 s. Every child still runs one program and exits, so the
 * snapshot only makes fresh children cheap; it never carries state between programs. The file lives in the
 * user's cache directory (mode 0600), named for the Pyodide version and a hash of the runner, so an upgrade makes
 * a new one. A snapshot a child cannot start from is deleted, and children load from scratch for the rest of the
 * process.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { pyodideDir, runnerPath } from './isolation.js';
import { INTERPRETER_SETUP } from './protocol.js';

/** A snapshot of Pyodide 314 after setup is ~31 MB. */
export const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;

/** Per snapshot path: a child is making it, or it cannot be had in this process. */
const state = new Map<string, 'making' | 'unavailable'>();

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

/** How the next child starts: from the snapshot file, making it (the first child), or from scratch. */
export type SnapshotPlan = { from: string } | { make: string } | Record<string, never>;

export function planSnapshot(path: string): SnapshotPlan {
  const known = state.get(path);
  if (known === 'unavailable') return {};
  if (existsSync(path)) return { from: path };
  if (known === 'making') return {};
  state.set(path, 'making');
  return { make: path };
}

/** Stores what the making child sent; a failure is reported once and children load from scratch. */
export function storeSnapshot(path: string, snapshot: Buffer, onWarning?: (message: string) => void): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(temporary, snapshot, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
    state.delete(path);
  } catch (error) {
    state.set(path, 'unavailable');
    onWarning?.(
      `sandbox: cannot store the interpreter snapshot (${(error as Error).message}); children load in ~2 s ` +
        'instead of ~0.3 s',
    );
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** The making child died before sending: the next child may try again. */
export function snapshotNotMade(path: string): void {
  if (state.get(path) === 'making') state.delete(path);
}

/** A child could not start from this snapshot: delete it and load from scratch for the rest of this process. */
export function discardSnapshot(path: string): void {
  rmSync(path, { force: true });
  state.set(path, 'unavailable');
}
