/**
 * `--code-mode`: the selected tools leave the model's tool list and become Python functions behind one
 * `execute_code` tool, run in the sandbox.
 */
import { combineToolsets, filterToolset, LocalToolset, type ToolDescriptor, type Toolset } from '../../bridge/index.js';
import { executeCodeTool, SandboxPool, toolsetInvoker, type CodeTool } from '../sandbox/index.js';

export interface CodeMode {
  toolset: Toolset;
  close(): Promise<void>;
}

/** `all`, or a comma-separated list of `server` or `server/tool`. */
export function codeModeSelector(spec: string): (d: ToolDescriptor) => boolean {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return (d) => entries.some((e) => e === 'all' || e === d.server || e === `${d.server}/${d.tool}`);
}

export function codeModeToolset(
  toolset: Toolset,
  selected: (d: ToolDescriptor) => boolean,
  onWarning?: (message: string) => void,
): CodeMode {
  const chosen = toolset.list().filter(selected);
  const codeTools: CodeTool[] = chosen.map((d) => ({
    name: d.name,
    description: d.description,
    inputSchema: d.inputSchema,
    ...(d.outputSchema && { outputSchema: d.outputSchema }),
  }));
  if (codeTools.length === 0) return { toolset, close: async () => {} };
  const pool = new SandboxPool(1, onWarning);
  const readOnly = chosen.every((d) => d.annotations?.readOnlyHint === true);
  const tool = executeCodeTool({ tools: codeTools, invoker: toolsetInvoker(toolset), pool, readOnly });
  const direct = filterToolset(toolset, (d) => !selected(d));
  return {
    toolset: combineToolsets([direct, new LocalToolset([tool])]),
    close: async () => {
      await tool.close();
      await pool.close();
    },
  };
}
