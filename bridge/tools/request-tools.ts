/**
 * The tool list one request sends: the toolset's specs for this model with the per-request limits applied
 * (Claude's union cap, docs/schema-translation.md). The loop and `mcp-bedrock tools` both use it, so what the
 * listing shows is what the model gets.
 */
import type { ModelCapabilities } from '../converse/capabilities.js';
import type { SchemaChange } from '../converse/schema-changes.js';
import { capUnionParameters } from '../converse/union-cap.js';
import type { Tool } from '../converse/types.js';
import type { Toolset } from './toolset.js';

/** What `requestTools` returns: the tools to send, tools left out (`warnings`) and every schema change. */
export interface RequestTools {
  tools: Tool[];
  warnings: string[];
  changes: SchemaChange[];
}

/** The names of a tool list's specs (cache points have none). */
export function toolNames(tools: readonly Tool[]): Set<string> {
  return new Set(tools.flatMap((t) => ('toolSpec' in t ? [t.toolSpec.name] : [])));
}

/**
 * The toolset's tools for `caps` as one request sends them. `callerTools` (tools the caller answers itself, the
 * gateway's client-defined ones) go first and as given; a toolset tool of the same name is left out. The limits
 * apply to the whole list, and change the caller's tools last.
 */
export function requestTools(
  toolset: Toolset,
  caps: ModelCapabilities,
  callerTools: readonly Tool[] = [],
): RequestTools {
  const specs = toolset.toolSpecs(caps);
  const taken = toolNames(callerTools);
  const own =
    taken.size === 0 ? specs.tools : specs.tools.filter((t) => !('toolSpec' in t && taken.has(t.toolSpec.name)));
  const capped = capUnionParameters(callerTools.length === 0 ? own : [...callerTools, ...own], caps);
  return { tools: capped.tools, warnings: specs.warnings, changes: [...(specs.changes ?? []), ...capped.changes] };
}
