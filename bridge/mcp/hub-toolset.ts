/**
 * The `Toolset` over an `McpHub`: Converse names from the registry, schemas compiled once per tool-list change
 * and schema dialect, arguments renamed back before `tools/call`, MCP results mapped to `toolResult`s, and
 * every failure (unknown tool, dead server, timeout) returned as an error result.
 */
import { SdkErrorCode } from '@modelcontextprotocol/client';
import { errorResult } from '../converse/results.js';
import type { JsonObject, JsonValue, Tool, ToolResultBlock, ToolUseBlock } from '../converse/types.js';
import { globMatcher } from '../tools/filter-toolset.js';
import type { McpHub } from './mcp-hub.js';
import type { ServerConfig } from './server-config.js';
import type { ModelCapabilities, SchemaRules } from '../converse/capabilities.js';
import type { SchemaChange } from '../converse/schema-changes.js';
import { compileSchema, restoreArguments, type CompileResult } from './schema-compiler.js';
import { converseNames } from './tool-names.js';
import { toToolResult } from './tool-results.js';
import type { ResolvedTool, ToolCallContext, ToolDescriptor, Toolset, ToolSpecs } from '../tools/toolset.js';

/** How `HubToolset` names tools. */
export interface HubToolsetOptions {
  /** Always name tools `server__tool` (default: only when two servers share a tool name). */
  alwaysPrefix?: boolean;
}

interface Entry extends ResolvedTool {
  descriptor: ToolDescriptor;
  /** Compiled schemas by schema-rules key (see `rulesKey`). */
  compiled: Map<string, CompileResult>;
}

/** Models with the same schema rules share compiled schemas. */
const rulesKey = (rules: SchemaRules): string =>
  `${rules.dialect}:${rules.rejectsRootCombinators}:${rules.rejectsBigIntegers}`;

/** The SDK's own timeout (it also reports an aborted request with this code; the signal tells them apart). */
function timedOut(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return cause?.code === SdkErrorCode.RequestTimeout;
}

/** A server entry's `tools` allow/deny lists as one test of the server's own tool names. */
function toolFilter(lists: ServerConfig['tools']): (tool: string) => boolean {
  const allow = lists?.allow && globMatcher(lists.allow);
  const deny = lists?.deny && globMatcher(lists.deny);
  return (tool) => (!allow || allow(tool)) && !deny?.(tool);
}

/**
 * The tools of an `McpHub`'s connected servers as a `Toolset`: Converse names that are valid and stable (the
 * server as a prefix only on collision, a short hash when a name must be shortened), each schema compiled once per
 * tool-list change and model family, argument keys renamed back before `tools/call`, MCP results mapped to
 * `toolResult`s, and every failure (dead server, timeout, protocol error) an error result the model reads. A
 * server entry's `tools` allow/deny lists decide which tools it offers.
 *
 * @example
 * ```ts source="./mcp-hub.examples.ts#HubToolset_names"
 * const toolset = new HubToolset(hub, { alwaysPrefix: true });
 * console.log(toolset.list().map((tool) => `${tool.name} = ${tool.server}/${tool.tool}`));
 * // e.g. "orders__get_order = orders/get_order"
 * ```
 */
export class HubToolset implements Toolset {
  private entries = new Map<string, Entry>();
  private builtFor = -1;
  /** Finished specs per dialect for the current entries: a later call costs nothing, whatever the catalog size. */
  private specs = new Map<string, ToolSpecs>();

  constructor(
    private readonly hub: McpHub,
    private readonly options: HubToolsetOptions = {},
  ) {}

  /** Changes whenever a server's tools or status change (the hub's version). */
  get version(): number {
    return this.hub.version;
  }

  private refresh(): Map<string, Entry> {
    if (this.builtFor === this.hub.version) return this.entries;
    // A server that died keeps its tools: calling one restarts it (McpHub), so the model need not lose them.
    const servers = this.hub.servers().filter((s) => s.status !== 'closed');
    const tools = servers.flatMap((s) => {
      const offered = toolFilter(this.hub.config(s.name)?.tools);
      return s.tools.flatMap((tool) =>
        offered(tool.name) ? [{ server: s.name, tool: tool.name, definition: tool }] : [],
      );
    });
    const names = converseNames(tools, this.options);
    const entries = new Map<string, Entry>();
    for (const t of tools) {
      const name = names.get(`${t.server}\u0000${t.tool}`) as string;
      const d = t.definition;
      const description =
        d.description?.trim() || d.title || d.annotations?.title || `${t.tool} (from the ${t.server} MCP server)`;
      const entry: Entry = {
        descriptor: {
          name,
          server: t.server,
          tool: t.tool,
          description,
          ...(d.title !== undefined && { title: d.title }),
          inputSchema: (d.inputSchema ?? {}) as JsonObject,
          ...(d.outputSchema !== undefined && { outputSchema: d.outputSchema as JsonObject }),
          ...(d.annotations && { annotations: d.annotations }),
        },
        compiled: new Map(),
        execute: (toolUse, context) => this.call(entry, toolUse, context),
      };
      entries.set(name, entry);
    }
    this.entries = entries;
    this.specs.clear();
    this.builtFor = this.hub.version;
    return entries;
  }

  private compiled(entry: Entry, rules: SchemaRules): CompileResult {
    const key = rulesKey(rules);
    let result = entry.compiled.get(key);
    if (!result) {
      result = compileSchema(entry.descriptor.inputSchema as JsonValue, rules);
      entry.compiled.set(key, result);
    }
    return result;
  }

  /** Every tool offered, with its Converse name, server, own name, schema and annotations. */
  list(): readonly ToolDescriptor[] {
    return [...this.refresh().values()].map((e) => e.descriptor);
  }

  /** The tool behind a Converse name. */
  resolve(name: string): ResolvedTool | undefined {
    return this.refresh().get(name);
  }

  /**
   * Compiled once per tool-list change and schema rules. Per-request limits (Claude's union cap) are applied
   * where the request's tool list is final: `requestTools`.
   */
  toolSpecs(caps: ModelCapabilities): ToolSpecs {
    const entries = this.refresh();
    const key = rulesKey(caps.schemaRules);
    let specs = this.specs.get(key);
    if (!specs) {
      specs = this.buildSpecs(entries, caps.schemaRules);
      this.specs.set(key, specs);
    }
    return specs;
  }

  private buildSpecs(entries: Map<string, Entry>, rules: SchemaRules): ToolSpecs {
    const tools: Tool[] = [];
    const warnings: string[] = [];
    const changes: SchemaChange[] = [];
    for (const entry of entries.values()) {
      const result = this.compiled(entry, rules);
      const { descriptor } = entry;
      if (!result.ok) {
        warnings.push(`tool ${descriptor.server}/${descriptor.tool} left out: ${result.reason}`);
        continue;
      }
      const { schema, note } = result.compiled;
      for (const change of result.compiled.changes) changes.push({ tool: descriptor.name, ...change });
      tools.push({
        toolSpec: {
          name: descriptor.name,
          description: note ? `${descriptor.description}\n\n${note}` : descriptor.description,
          inputSchema: { json: schema },
        },
      });
    }
    return { tools, warnings, changes };
  }

  private async call(entry: Entry, toolUse: ToolUseBlock, context: ToolCallContext): Promise<ToolResultBlock> {
    const { server, tool } = entry.descriptor;
    const input = (toolUse.input ?? {}) as JsonObject;
    // Renaming depends only on the tool's own keys, so any compiled form has the same map.
    const compiled = entry.compiled.values().next().value;
    const args = compiled?.ok ? restoreArguments(input, compiled.compiled.renamed) : input;
    try {
      const result = await this.hub.callTool(server, tool, args, {
        signal: context.signal,
        timeoutMs: context.timeoutMs,
        ...(context.onProgress && { onProgress: context.onProgress }),
      });
      return toToolResult(toolUse.toolUseId, result);
    } catch (error) {
      if (context.signal.aborted) return errorResult(toolUse.toolUseId, `${tool} was cancelled.`);
      if (timedOut(error))
        return errorResult(toolUse.toolUseId, `${tool} did not answer within ${context.timeoutMs} ms.`);
      return errorResult(toolUse.toolUseId, `Calling ${tool} failed: ${(error as Error).message}`);
    }
  }
}
