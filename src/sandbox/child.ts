/**
 * One spawned sandbox child and its channel: frames from the parent on its stdin, frames from it on fd 3 (no
 * Node IPC channel), stderr kept as a short tail for error messages. Everything the child sends is untrusted:
 * headers are validated with zod and bodies are size-checked on the raw bytes before anyone parses them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { encodeFrame, FrameReader, type Frame } from './frames.js';
import { pyodideDir, spawnPlan, type SpawnPlanOptions } from './isolation.js';
import type { ChildHeader, ParentHeader } from './protocol.js';

const childHeader = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('ready'), loadMs: z.number() }),
  z.strictObject({ t: z.literal('call'), callId: z.number().int().positive(), name: z.string().max(256) }),
  z.strictObject({ t: z.literal('done'), ok: z.boolean(), truncated: z.boolean() }),
  z.strictObject({ t: z.literal('snapshot') }),
]);

function parseChildHeader(text: string): ChildHeader | undefined {
  try {
    const parsed = childHeader.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Results the parent queued but the child did not read; past this the child is not reading and is killed. */
const MAX_UNREAD_INPUT_BYTES = 8 * 1024 * 1024;

export interface ChildHandlers {
  /** The largest body accepted for a header; larger ones reach `onFrame` without a body. */
  maxBodyBytes(header: ChildHeader): number;
  onFrame(frame: Frame<ChildHeader>): void;
  /** The child broke the protocol; it is being killed. */
  onViolation(reason: string): void;
}

export interface SpawnedChild {
  process: ChildProcess;
  isolatedNetwork: boolean;
  /** Sends a frame; false (and nothing sent) when the child has stopped reading what it was sent. */
  send(header: ParentHeader, body?: string): boolean;
  /** The last lines the child wrote to stderr, for error messages. */
  stderrTail(): string;
  /** The most bytes the frame reader ever held at once. */
  peakBufferedBytes(): number;
}

export function spawnChild(plan: SpawnPlanOptions, handlers: ChildHandlers): SpawnedChild {
  const { command, args, isolatedNetwork } = spawnPlan(plan);
  // No temporary directory: the child may write nowhere, so its working directory is one it may only read.
  const child = spawn(command, args, { cwd: pyodideDir(), env: {}, stdio: ['pipe', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  child.stdin?.on('error', () => {}); // EPIPE after the child died: its exit is reported instead
  const reader = new FrameReader<ChildHeader>({
    maxHeaderBytes: 4096,
    parseHeader: parseChildHeader,
    maxBodyBytes: (header) => handlers.maxBodyBytes(header),
    onFrame: (frame) => handlers.onFrame(frame),
    onViolation: (reason) => {
      child.kill('SIGKILL');
      handlers.onViolation(reason);
    },
  });
  (child.stdio[3] as Readable | null)?.on('data', (chunk: Buffer) => reader.push(chunk));
  return {
    process: child,
    isolatedNetwork,
    send: (header, body) => {
      const stdin = child.stdin;
      if (!stdin || stdin.destroyed) return true;
      if (stdin.writableLength > MAX_UNREAD_INPUT_BYTES) return false;
      stdin.write(encodeFrame(header, body));
      return true;
    },
    stderrTail: () => stderr.trim().split('\n').slice(-3).join(' '),
    peakBufferedBytes: () => reader.peakBufferedBytes,
  };
}
