/** Running one toolUse against a toolset, for callers outside the loop (code mode's Python, tests, scripts). */
import { errorResult } from '../converse/results.js';
import type { ToolResultBlock, ToolUseBlock } from '../converse/types.js';
import type { ToolCallContext, Toolset } from './toolset.js';

/** The result for a name no tool answers to: the model is told which tools exist. */
export function unknownToolResult(toolUseId: string, name: string, available: readonly string[]): ToolResultBlock {
  return errorResult(
    toolUseId,
    `There is no tool named "${name}". Available tools: ${available.join(', ') || '(none)'}.`,
  );
}

/**
 * Resolves `toolUse.name` in `toolset` and runs the call. Never throws: an unknown name is an error result that
 * lists the available tools.
 *
 * @example
 * ```ts source="./toolsets.examples.ts#executeTool_direct"
 * const result = await executeTool(
 *   new HubToolset(hub),
 *   { toolUseId: 'manual-1', name: 'top_song', input: { sign: 'WZPZ' } },
 *   { signal: AbortSignal.timeout(10_000), timeoutMs: 10_000 },
 * );
 * console.log(result.status, result.content);
 * ```
 */
export function executeTool(
  toolset: Toolset,
  toolUse: ToolUseBlock,
  context: ToolCallContext,
): Promise<ToolResultBlock> {
  const tool = toolset.resolve(toolUse.name);
  if (tool) return tool.execute(toolUse, context);
  return Promise.resolve(
    unknownToolResult(
      toolUse.toolUseId,
      toolUse.name,
      toolset.list().map((d) => d.name),
    ),
  );
}
