/**
 * A view of a toolset with some tools hidden: allow/deny lists from the configuration, and tools moved into
 * code mode (reachable only from `execute_code`, never offered to the model directly).
 */
import { unknownToolResult } from './local-toolset.js';
import type { ToolDescriptor, Toolset } from './toolset.js';

export function filterToolset(inner: Toolset, keep: (descriptor: ToolDescriptor) => boolean): Toolset {
  const visible = (name: string): ToolDescriptor | undefined => {
    const descriptor = inner.describe(name);
    return descriptor && keep(descriptor) ? descriptor : undefined;
  };
  return {
    get version() {
      return inner.version;
    },
    list: () => inner.list().filter(keep),
    describe: visible,
    toolSpecs: (caps) => {
      const { tools, warnings, changes } = inner.toolSpecs(caps);
      return {
        tools: tools.filter((tool) => !('toolSpec' in tool) || visible(tool.toolSpec.name) !== undefined),
        warnings,
        ...(changes && { changes: changes.filter((change) => visible(change.tool) !== undefined) }),
      };
    },
    execute: async (toolUse, context) => {
      if (visible(toolUse.name)) return inner.execute(toolUse, context);
      return unknownToolResult(
        toolUse.toolUseId,
        toolUse.name,
        inner
          .list()
          .filter(keep)
          .map((d) => d.name),
      );
    },
    ...(inner.argumentsFor && { argumentsFor: inner.argumentsFor.bind(inner) }),
  };
}

/** `*` matches any run of characters; everything else is literal. */
export function globMatcher(patterns: readonly string[]): (name: string) => boolean {
  const regexes = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
  return (name) => regexes.some((r) => r.test(name));
}
