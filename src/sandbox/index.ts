/** Code mode: Python (Pyodide) in an isolated child process per program, calling MCP tools. */
export { Sandbox } from './sandbox.js';
export type { ExecutionResult, ExecutionStatus, SandboxOptions } from './sandbox.js';
export type { ToolInvoker } from './tool-calls.js';
export { DEFAULT_SANDBOX_LIMITS } from './sandbox-limits.js';
export type { SandboxLimits } from './sandbox-limits.js';
export { SandboxError } from './sandbox-error.js';
export { SandboxPool } from './sandbox-pool.js';
export type { SandboxPoolOptions } from './sandbox-pool.js';
export { executeCodeTool, executeCodeDescription, toolsetInvoker, EXECUTE_CODE } from './execute-code-tool.js';
export type { CodeModeSavings, ExecuteCodeOptions } from './execute-code-tool.js';
export { networkIsolationAvailable } from './isolation.js';
export { pythonName, signature } from './python-stubs.js';
export type { CodeTool } from './python-stubs.js';
