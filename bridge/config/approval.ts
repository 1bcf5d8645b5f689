/** The `approval` setting of each server entry as the tool loop's `needsApproval`. */
import { defaultNeedsApproval } from '../loop/tool-execution.js';
import type { ServerConfig } from '../mcp/server-config.js';
import type { ToolDescriptor } from '../tools/toolset.js';

/**
 * A `needsApproval` for `runToolLoop` that follows each server's `approval`: `always`, `never`, or
 * `destructive` (the default, also for tools of servers not in `servers`: see `defaultNeedsApproval`).
 *
 * @example
 * ```ts source="./load-config.examples.ts#needsApprovalFor_loop"
 * const servers = await loadMcpConfig('.vscode/mcp.json');
 * const hub = new McpHub(servers);
 * await hub.start();
 * await runToolLoop('Cancel order 14826', {
 *   client: new BedrockModelClient({ region: 'us-east-1' }),
 *   modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
 *   toolset: new HubToolset(hub),
 *   needsApproval: needsApprovalFor(servers),
 *   approve: async (request) => request.descriptor.server === 'orders',
 * });
 * ```
 */
export function needsApprovalFor(servers: readonly ServerConfig[]): (descriptor: ToolDescriptor) => boolean {
  const modes = new Map(servers.map((s) => [s.name, s.approval ?? 'destructive']));
  return (descriptor) => {
    const mode = modes.get(descriptor.server) ?? 'destructive';
    return mode === 'always' || (mode === 'destructive' && defaultNeedsApproval(descriptor));
  };
}
