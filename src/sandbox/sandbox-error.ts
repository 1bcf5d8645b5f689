/** Errors the sandbox throws (its programs' failures are results, never exceptions); `code` is stable. */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';

  constructor(
    /** `SANDBOX_UNISOLATED`, `SANDBOX_START_FAILED`, `SANDBOX_USED` or `SANDBOX_SNAPSHOT_FAILED`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
