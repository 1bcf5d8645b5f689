/**
 * `--code-mode`: the selected tools leave the model's tool list and become Python functions behind one
 * `execute_code` tool, run in the sandbox. Tools the approval policy asks for stay direct tools, so each of
 * their calls is approved (and recorded in the conversation) like any other (docs/security.md, "Approval").
 */
import { combineToolsets, filterToolset, LocalToolset, type ToolDescriptor, type Toolset } from '../../bridge/index.js';
import { executeCodeTool, SandboxPool, toolsetInvoker, type CodeModeSavings, type CodeTool } from '../sandbox/index.js';

export interface CodeMode {
  toolset: Toolset;
  close(): Promise<void>;
}

export interface CodeModeOptions {
  /** The conversation's approval policy: a selected tool it asks for is kept out of code mode. */
  needsApproval: (descriptor: ToolDescriptor) => boolean;
  /** Run programs where the network cannot be isolated (`--allow-unisolated-sandbox`); default: refuse. */
  allowUnisolated?: boolean;
  /** Notes for the user: tools kept direct, a sandbox without network isolation. */
  onWarning?: (message: string) => void;
  /** Told what each program kept out of the conversation. */
  onSavings?: (savings: CodeModeSavings) => void;
}

/** `all`, or a comma-separated list of `server` or `server/tool`. */
export function codeModeSelector(spec: string): (d: ToolDescriptor) => boolean {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return (d) => entries.some((e) => e === 'all' || e === d.server || e === `${d.server}/${d.tool}`);
}

/**
 * The toolset the model sees in code mode. Throws `SANDBOX_UNISOLATED` (before anything starts) where the
 * sandbox's network cannot be isolated and `allowUnisolated` is not set.
 */
export function codeModeToolset(
  toolset: Toolset,
  selected: (d: ToolDescriptor) => boolean,
  options: CodeModeOptions,
): CodeMode {
  const candidates = toolset.list().filter(selected);
  const direct = candidates.filter((d) => options.needsApproval(d));
  if (direct.length > 0) {
    options.onWarning?.(
      `code mode: ${direct.map((d) => `${d.server}/${d.tool}`).join(', ')} stay${direct.length === 1 ? 's' : ''} ` +
        'a direct tool: the approval policy asks for each call, which a program cannot do',
    );
  }
  const chosen = candidates.filter((d) => !options.needsApproval(d));
  if (chosen.length === 0) return { toolset, close: async () => {} };
  const inCode = new Set(chosen.map((d) => d.name));
  const codeTools: CodeTool[] = chosen.map((d) => ({
    name: d.name,
    description: d.description,
    inputSchema: d.inputSchema,
    ...(d.outputSchema && { outputSchema: d.outputSchema }),
  }));
  const pool = new SandboxPool({
    ...(options.allowUnisolated !== undefined && { allowUnisolated: options.allowUnisolated }),
    ...(options.onWarning && { onWarning: options.onWarning }),
  });
  const tool = executeCodeTool({
    tools: codeTools,
    invoker: toolsetInvoker(toolset),
    pool,
    readOnly: chosen.every((d) => d.annotations?.readOnlyHint === true),
    approvalFree: true,
    ...(options.onSavings && { onSavings: options.onSavings }),
  });
  return {
    toolset: combineToolsets([filterToolset(toolset, (d) => !inCode.has(d.name)), new LocalToolset([tool])]),
    close: () => pool.close(),
  };
}
