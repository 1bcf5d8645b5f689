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
 * ```
 */
export function needsApprovalFor(servers: readonly ServerConfig[]): (descriptor: ToolDescriptor) => boolean {
  const modes = new Map(servers.map((s) => [s.name, s.approval ?? 'destructive']));
  return (descriptor) => {
    const mode = modes.get(descriptor.server) ?? 'destructive';
    return mode === 'always' || (mode === 'destructive' && defaultNeedsApproval(descriptor));
  };
}
