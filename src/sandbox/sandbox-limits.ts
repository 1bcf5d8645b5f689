/** The limits a sandbox child lives under, from its spawn to its exit (docs/security.md, "Code-mode sandbox"). */

export interface SandboxLimits {
  /** The program's wall clock; the child is killed when it passes (CPU seconds are capped by an rlimit too). */
  wallClockMs: number;
  /** Per tool call; a call that passes it fails as a ToolError inside the program. */
  toolTimeoutMs: number;
  maxToolCalls: number;
  maxConcurrentCalls: number;
  /** Characters of stdout + stderr kept; the rest is cut and marked. */
  outputBytes: number;
  /** Python's heap (Wasm memory); growing past it raises MemoryError inside the program. */
  maxMemoryMb: number;
  /** The child's resident memory, watched for its whole life; the child is killed above it. */
  maxRssMb: number;
  /** Arguments and results larger than this are refused (arguments are measured on the raw bytes). */
  maxPayloadBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  wallClockMs: 60_000,
  toolTimeoutMs: 30_000,
  maxToolCalls: 200,
  maxConcurrentCalls: 16,
  outputBytes: 64 * 1024,
  // A child holds ~30 MB of Python heap and ~150 MB besides (Node, compiled Wasm) after loading.
  maxMemoryMb: 320,
  maxRssMb: 512,
  maxPayloadBytes: 1024 * 1024,
};
