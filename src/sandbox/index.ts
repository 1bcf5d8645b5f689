/** Code mode: Python (Pyodide) in an isolated child process calling MCP tools. */
export { Sandbox, DEFAULT_SANDBOX_LIMITS } from './sandbox.js';
export type { ExecutionResult, ExecutionStatus, SandboxLimits, ToolInvoker } from './sandbox.js';
export { SandboxPool } from './sandbox-pool.js';
export { executeCodeTool, executeCodeDescription, toolsetInvoker, EXECUTE_CODE } from './execute-code-tool.js';
export { networkIsolationAvailable } from './isolation.js';
export { prelude, pythonName, signature } from './python-stubs.js';
export type { CodeTool } from './python-stubs.js';
