/**
 * Tools that run in this process (the code-mode `execute_code` tool, application tools, test doubles), and
 * the combination of several toolsets into the one the loop sees.
 */
import type { ModelCapabilities } from '../converse/capabilities.js';
import { isJsonObject } from '../converse/json.js';
import { errorResult, textResult } from '../converse/results.js';
import type { JsonObject, Tool, ToolResultBlock, ToolResultContentBlock, ToolUseBlock } from '../converse/types.js';
import { withDeadline } from '../timers.js';
import type { ResolvedTool, ToolAnnotations, ToolCallContext, ToolDescriptor, Toolset, ToolSpecs } from './toolset.js';

/** What a local tool returns: text, or result blocks with an error flag for the model. */
export type LocalToolOutput = string | { content: ToolResultContentBlock[]; isError?: boolean };

/** A tool that runs in this process: its Converse name, description, JSON Schema, annotations and handler. */
export interface LocalTool {
  name: string;
  description: string;
  inputSchema: JsonObject;
  annotations?: ToolAnnotations;
  /** A string is a text result; throwing makes an error result with the error's message. */
  run(input: JsonObject, context: ToolCallContext): Promise<LocalToolOutput>;
}

/**
 * Tools that run in this process, as a toolset: application tools, code mode's `execute_code`, test doubles.
 * Each call has the context's timeout and signal; a tool that throws gives an error result with its message.
 *
 * @example
 * ```ts source="./toolsets.examples.ts#LocalToolset_weather"
 * const local = new LocalToolset([
 *   {
 *     name: 'get_weather',
 *     description: 'Current weather for a city.',
 *     inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
 *     annotations: { readOnlyHint: true },
 *     run: async (input) => `Sunny in ${String(input['city'])}, 21 °C`,
 *   },
 * ]);
 * ```
 */
export class LocalToolset implements Toolset {
  /** Never changes: a local toolset's tools are fixed at construction. */
  readonly version = 1;
  private readonly tools: Map<string, ResolvedTool>;
  private readonly descriptors: ToolDescriptor[];

  /** `server` is what descriptors and approval prompts show as the tools' owner. */
  constructor(tools: readonly LocalTool[], server = 'local') {
    this.descriptors = [];
    this.tools = new Map();
    for (const tool of tools) {
      const descriptor: ToolDescriptor = {
        name: tool.name,
        server,
        tool: tool.name,
        description: tool.description,
        inputSchema: tool.inputSchema,
        ...(tool.annotations && { annotations: tool.annotations }),
      };
      this.descriptors.push(descriptor);
      this.tools.set(tool.name, { descriptor, execute: (toolUse, context) => runLocal(tool, toolUse, context) });
    }
  }

  /** The tools, in the order given. */
  list(): readonly ToolDescriptor[] {
    return this.descriptors;
  }

  /** The tool of this name. */
  resolve(name: string): ResolvedTool | undefined {
    return this.tools.get(name);
  }

  /** The tools as given: local schemas are the caller's, sent unchanged. */
  toolSpecs(_caps: ModelCapabilities): ToolSpecs {
    const tools = this.descriptors.map(
      (d): Tool => ({ toolSpec: { name: d.name, description: d.description, inputSchema: { json: d.inputSchema } } }),
    );
    return { tools, warnings: [] };
  }
}

async function runLocal(tool: LocalTool, toolUse: ToolUseBlock, context: ToolCallContext): Promise<ToolResultBlock> {
  const input = isJsonObject(toolUse.input) ? toolUse.input : {};
  try {
    const output = await withDeadline(tool.run(input, context), context.timeoutMs, context.signal);
    if (output === 'timeout')
      return errorResult(toolUse.toolUseId, `${tool.name} did not answer within ${context.timeoutMs} ms.`);
    if (output === 'aborted') return errorResult(toolUse.toolUseId, `${tool.name} was cancelled.`);
    if (typeof output === 'string') return textResult(toolUse.toolUseId, output);
    const content = output.content.length > 0 ? output.content : [{ text: '(no output)' }];
    return { toolUseId: toolUse.toolUseId, content, status: output.isError ? 'error' : 'success' };
  } catch (error) {
    return errorResult(toolUse.toolUseId, `${tool.name} failed: ${(error as Error).message}`);
  }
}

/**
 * Several toolsets as one; the first that has a name answers it. Names are resolved through an index rebuilt
 * when a member's tools change, so a call costs one lookup whatever the number of members.
 *
 * @example
 * ```ts source="./toolsets.examples.ts#combineToolsets_hubAndLocal"
 * const toolset = combineToolsets([new HubToolset(hub), local]);
 * ```
 */
export function combineToolsets(sets: readonly Toolset[]): Toolset {
  const version = (): number => sets.reduce((sum, set) => sum + set.version, 0);
  let index: { version: number; owners: Map<string, Toolset> } | undefined;
  const ownerOf = (name: string): Toolset | undefined => {
    const now = version();
    if (index?.version !== now) {
      const owners = new Map<string, Toolset>();
      // The first member with a name wins, as in `list()` order.
      for (const set of [...sets].reverse()) for (const d of set.list()) owners.set(d.name, set);
      index = { version: now, owners };
    }
    return index.owners.get(name);
  };
  return {
    get version() {
      // Each member only ever increments, so the sum changes whenever any member changes.
      return version();
    },
    list: () => sets.flatMap((set) => set.list()),
    resolve: (name) => ownerOf(name)?.resolve(name),
    toolSpecs: (caps) => {
      const parts = sets.map((set) => set.toolSpecs(caps));
      return {
        tools: parts.flatMap((p) => p.tools),
        warnings: parts.flatMap((p) => p.warnings),
        changes: parts.flatMap((p) => p.changes ?? []),
      };
    },
  };
}
