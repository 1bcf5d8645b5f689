/**
 * Code mode: the `execute_code` tool. Tools put in code mode are not offered to the model directly; it sees them
 * as Python async functions and writes one program that calls them, so only what the program prints comes back
 * into the conversation (docs/code-mode.md). Each program runs in a fresh sandbox child (docs/security.md).
 */
import { executeTool, type JsonObject, type LocalTool, type Toolset, type ToolUseBlock } from '../../bridge/index.js';
import { signature, docstring, type CodeTool } from './python-stubs.js';
import type { ToolInvoker } from './tool-calls.js';
import type { SandboxLimits } from './sandbox-limits.js';
import type { SandboxPool } from './sandbox-pool.js';
import type { ExecutionResult } from './sandbox.js';

export const EXECUTE_CODE = 'execute_code';

export function executeCodeDescription(tools: readonly CodeTool[], limits: Pick<SandboxLimits, 'outputBytes'>): string {
  const stubs = tools.map((t) => `${signature(t)}\n    """${docstring(t).split('\n').join('\n    ')}"""`).join('\n\n');
  return [
    'Run a Python 3 program (Pyodide) that calls the tools below, and get back what it prints.',
    'Rules: call tools with `await`; use `asyncio.gather(...)` to run independent calls at once; only print()ed',
    'output returns to you, so filter and aggregate in the program and print just the answer. Tools return',
    'strings (use json.loads on JSON); a failed call raises ToolError. No network and no files. Each run starts',
    'in a fresh interpreter: variables, imports and files do not carry over to the next run.',
    `Output above ${limits.outputBytes} characters is cut. Top-level await works.`,
    '',
    'Available functions:',
    '',
    stubs,
  ].join('\n');
}

/** Tool calls from Python go through the same toolset (and so the same MCP hub) as direct calls. */
export function toolsetInvoker(toolset: Toolset): ToolInvoker {
  let next = 0;
  return {
    call: async (name, args, signal) => {
      const toolUse: ToolUseBlock = { toolUseId: `code${++next}`, name, input: args };
      const result = await executeTool(toolset, toolUse, { signal, timeoutMs: 30_000 });
      const texts = result.content.flatMap((b) => ('text' in b ? [b.text] : []));
      const json = result.content.flatMap((b) => ('json' in b ? [JSON.stringify(b.json)] : []));
      return { isError: result.status === 'error', text: (texts.length > 0 ? texts : json).join('\n') };
    },
  };
}

export interface ExecuteCodeOptions {
  tools: readonly CodeTool[];
  invoker: ToolInvoker;
  /** Where the fresh sandbox for each program comes from (and its limits). */
  pool: SandboxPool;
  /** Every tool behind it is read-only. */
  readOnly?: boolean;
  /**
   * No tool behind it is one the caller's approval policy asks for, so running a program needs no approval
   * either (what `codeModeToolset` guarantees by keeping such tools direct; docs/security.md).
   */
  approvalFree?: boolean;
  /** Told, for each program, what its tool results were against what it returned (docs/code-mode.md). */
  onSavings?: (savings: CodeModeSavings) => void;
  /** Told each program's code and raw outcome when it ends (the Anthropic endpoint reports stdout and stderr apart). */
  onOutcome?: (code: string, result: ExecutionResult) => void;
}

/**
 * What one `execute_code` call kept out of the conversation: its tool results stayed in the sandbox, and only
 * the program's output went back to the model. Tokens are estimated as a quarter of the characters.
 */
export interface CodeModeSavings {
  /** The toolUse of the `execute_code` call, when the loop ran it. */
  toolUseId?: string;
  /** Tool calls the program made. */
  toolCalls: number;
  /** The size of their results, which direct tool calling would have sent to the model. */
  resultTokens: number;
  /** The size of what the program returned to the model instead. */
  outputTokens: number;
  /** `resultTokens - outputTokens`, never below 0. */
  keptOutTokens: number;
}

const tokensOf = (chars: number): number => Math.ceil(chars / 4);

/** The tool; every program it runs gets a sandbox of its own from the pool, killed when the program ends. */
export function executeCodeTool(options: ExecuteCodeOptions): LocalTool {
  const readOnly = options.readOnly ?? false;
  return {
    name: EXECUTE_CODE,
    description: executeCodeDescription(options.tools, options.pool.limits),
    inputSchema: {
      type: 'object',
      properties: { code: { type: 'string', description: 'The Python program to run.' } },
      required: ['code'],
    },
    annotations: {
      title: 'Run Python that calls tools',
      readOnlyHint: readOnly,
      destructiveHint: !(readOnly || (options.approvalFree ?? false)),
      openWorldHint: false,
    },
    run: async (input: JsonObject, context) => {
      const code = typeof input['code'] === 'string' ? input['code'] : '';
      if (code.trim() === '')
        return { content: [{ text: 'execute_code needs a non-empty "code" string.' }], isError: true };
      const sandbox = await options.pool.acquire();
      let resultChars = 0;
      const invoker: ToolInvoker = options.onSavings
        ? {
            call: async (name, args, signal) => {
              const answer = await options.invoker.call(name, args, signal);
              resultChars += answer.text.length;
              return answer;
            },
          }
        : options.invoker;
      const result = await sandbox.execute(code, options.tools, invoker, context.signal);
      options.onOutcome?.(code, result);
      const parts = [result.stdout.trimEnd()];
      if (result.truncated) parts.push('[output truncated]');
      if (result.stderr.trim() !== '') parts.push(`stderr:\n${result.stderr.trimEnd()}`);
      if (result.status !== 'ok') parts.push(`status: ${result.status}${result.error ? `\n${result.error}` : ''}`);
      const text = parts.filter((p) => p !== '').join('\n\n') || '(the program printed nothing)';
      if (options.onSavings) {
        const resultTokens = tokensOf(resultChars);
        const outputTokens = tokensOf(text.length);
        options.onSavings({
          ...(context.toolUseId !== undefined && { toolUseId: context.toolUseId }),
          toolCalls: result.toolCalls,
          resultTokens,
          outputTokens,
          keptOutTokens: Math.max(0, resultTokens - outputTokens),
        });
      }
      return { content: [{ text }], isError: result.status !== 'ok' };
    },
  };
}
