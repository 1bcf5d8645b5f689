/**
 * A view of a toolset with some tools hidden: allow/deny lists from the configuration, and tools moved into
 * code mode (reachable only from `execute_code`, never offered to the model directly).
 */
import type { ToolDescriptor, Toolset } from './toolset.js';

/**
 * `inner` with only the tools `keep` accepts: hidden tools are neither listed, offered to the model nor run.
 *
 * @example
 * ```ts source="./toolsets.examples.ts#filterToolset_readOnly"
 * const readOnly = filterToolset(new HubToolset(hub), (tool) => tool.annotations?.readOnlyHint === true);
 * ```
 */
export function filterToolset(inner: Toolset, keep: (descriptor: ToolDescriptor) => boolean): Toolset {
  return {
    get version() {
      return inner.version;
    },
    list: () => inner.list().filter(keep),
    resolve: (name) => {
      const tool = inner.resolve(name);
      return tool && keep(tool.descriptor) ? tool : undefined;
    },
    toolSpecs: (caps) => {
      const { tools, warnings, changes } = inner.toolSpecs(caps);
      const kept = new Set(inner.list().flatMap((d) => (keep(d) ? [d.name] : [])));
      const visible = (name: string): boolean => kept.has(name);
      return {
        tools: tools.filter((tool) => !('toolSpec' in tool) || visible(tool.toolSpec.name)),
        warnings,
        ...(changes && { changes: changes.filter((change) => visible(change.tool)) }),
      };
    },
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
