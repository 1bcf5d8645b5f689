/** Messages between the sandbox parent and its Pyodide child, over Node's IPC channel (JSON). */

export interface ExecLimits {
  /** Bytes of stdout + stderr kept; the rest is replaced by a truncation marker. */
  outputBytes: number;
}

export type ParentMessage =
  | { t: 'exec'; execId: number; prelude: string; code: string; limits: ExecLimits }
  | { t: 'result'; callId: number; ok: boolean; text: string };

export type ChildMessage =
  | { t: 'ready'; loadMs: number }
  | { t: 'call'; execId: number; callId: number; name: string; args: unknown }
  | { t: 'done'; execId: number; ok: boolean; stdout: string; stderr: string; error?: string; truncated: boolean };
