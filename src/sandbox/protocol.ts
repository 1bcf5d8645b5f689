/**
 * Messages between the sandbox parent and its Pyodide child, as frame headers (see frames.ts) with raw bodies.
 * A child runs exactly one program: it says `ready`, receives one `exec`, sends `call`s and one `done`, and is
 * then killed. The runner imports only this file and frames.ts from the package (it may read nothing else).
 */

/** Settings the parent gives a child on its command line. */
export interface RunnerConfig {
  /** Make a memory snapshot of a freshly loaded interpreter and send it, instead of running a program. */
  makeSnapshot: boolean;
  /** A snapshot file to start from (made by a `makeSnapshot` child); absent: load Pyodide from scratch. */
  snapshot?: string;
  /** Arguments larger than this are refused in the child already (the parent checks again). */
  maxPayloadBytes: number;
}

/** Parent → child. `exec` carries `{ prelude, code }` as its JSON body, `result` the tool's text. */
export type ParentHeader = { t: 'exec'; outputBytes: number } | { t: 'result'; callId: number; ok: boolean };

/** Child → parent. `call` carries the arguments' JSON text, `done` a JSON {@link DoneBody}, `snapshot` bytes. */
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
