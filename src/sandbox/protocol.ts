/**
 * Messages between the sandbox parent and its Pyodide child, as frame headers (see frames.ts) with raw bodies.
 * A child runs exactly one program: it says `ready`, receives one `exec`, sends `call`s and one `done`, and
 * exits (the parent kills it too). The runner imports only this file and frames.ts from the package (it may read
 * nothing else).
 */

/** Settings the parent gives a child on its command line. */
export interface RunnerConfig {
  /** Load from scratch, send a memory snapshot of the interpreter after setup, then go on as any child. */
  sendSnapshot: boolean;
  /** A snapshot file to start from (sent by a `sendSnapshot` child); absent: load Pyodide from scratch. */
  snapshot?: string;
  /** Arguments larger than this are refused in the child already (the parent checks again). */
  maxPayloadBytes: number;
}

/** Parent → child. `exec` carries `{ stubs, code }` as its JSON body, `result` the tool's text. */
export type ParentHeader = { t: 'exec'; outputBytes: number } | { t: 'result'; callId: number; ok: boolean };

/**
 * Child → parent. `call` carries the arguments' JSON text, `done` a JSON {@link DoneBody}, `snapshot` (only from a
 * `sendSnapshot` child, before `ready`) the snapshot's bytes.
 */
export type ChildHeader =
  | { t: 'ready'; loadMs: number }
  | { t: 'call'; callId: number; name: string }
  | { t: 'done'; ok: boolean; truncated: boolean }
  | { t: 'snapshot' };

/** The body of a `done` frame. */
export interface DoneBody {
  stdout: string;
  stderr: string;
  error?: string;
}

/** The one wording for refused oversized arguments, whichever side refuses them. */
export function oversizeArguments(bytes: number, limit: number): string {
  return `arguments of ${bytes} bytes are larger than the ${limit}-byte limit`;
}

/** The Python setup both a snapshot and a from-scratch start run, so the two start from the same state. */
export const INTERPRETER_SETUP = 'import asyncio, json';
