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

/** The toolset's tools for `caps` as one request sends them. */
export function requestTools(toolset: Toolset, caps: ModelCapabilities): RequestTools {
  const specs = toolset.toolSpecs(caps);
  const capped = capUnionParameters(specs.tools, caps);
  return { tools: capped.tools, warnings: specs.warnings, changes: [...(specs.changes ?? []), ...capped.changes] };
}
