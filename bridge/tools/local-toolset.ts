/**
 * Tools that run in this process (the code-mode `execute_code` tool, application tools, test doubles), and
 * the combination of several toolsets into the one the loop sees.
 */
import type { JsonObject, Tool, ToolResultBlock, ToolResultContentBlock, ToolUseBlock } from '../converse/types.js';
import type { ModelCapabilities } from '../converse/capabilities.js';
import type { ToolAnnotations, ToolCallContext, ToolDescriptor, Toolset } from './toolset.js';

/** What a local tool returns: text, or result blocks with an error flag for the model. */
export type LocalToolOutput = string | { content: ToolResultContentBlock[]; isError?: boolean };

export interface LocalTool {
  name: string;
  description: string;
  inputSchema: JsonObject;
  annotations?: ToolAnnotations;
  /** A string is a text result; throwing makes an error result with the error's message. */
  run(input: JsonObject, context: ToolCallContext): Promise<LocalToolOutput>;
}

function textResult(toolUseId: string, text: string, status: 'success' | 'error'): ToolResultBlock {
  return { toolUseId, content: [{ text: text === '' ? '(no output)' : text }], status };
}

export function unknownToolResult(toolUseId: string, name: string, available: readonly string[]): ToolResultBlock {
  return textResult(
    toolUseId,
    `There is no tool named "${name}". Available tools: ${available.join(', ') || '(none)'}.`,
    'error',
  );
}

function withTimeout<T>(work: Promise<T>, context: ToolCallContext, name: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not answer within ${context.timeoutMs} ms`)),
      context.timeoutMs,
    );
    const onAbort = (): void => reject(new Error(`${name} was cancelled`));
    context.signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      context.signal.removeEventListener('abort', onAbort);
    });
  });
}

export class LocalToolset implements Toolset {
  readonly version = 1;
  private readonly tools: Map<string, LocalTool>;
  private readonly descriptors: ToolDescriptor[];

  constructor(tools: readonly LocalTool[], server = 'local') {
    this.tools = new Map(tools.map((tool) => [tool.name, tool]));
    this.descriptors = tools.map((tool) => ({
      name: tool.name,
      server,
      tool: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
      ...(tool.annotations && { annotations: tool.annotations }),
    }));
  }

  list(): readonly ToolDescriptor[] {
    return this.descriptors;
  }

  describe(name: string): ToolDescriptor | undefined {
    return this.descriptors.find((d) => d.name === name);
  }

  toolSpecs(_caps: ModelCapabilities): { tools: Tool[]; warnings: string[] } {
    const tools = this.descriptors.map(
      (d): Tool => ({ toolSpec: { name: d.name, description: d.description, inputSchema: { json: d.inputSchema } } }),
    );
    return { tools, warnings: [] };
  }

  async execute(toolUse: ToolUseBlock, context: ToolCallContext): Promise<ToolResultBlock> {
    const tool = this.tools.get(toolUse.name);
    if (!tool) return unknownToolResult(toolUse.toolUseId, toolUse.name, [...this.tools.keys()]);
    const input =
      toolUse.input !== null && typeof toolUse.input === 'object' && !Array.isArray(toolUse.input) ? toolUse.input : {};
    try {
      const output = await withTimeout(tool.run(input, context), context, tool.name);
      if (typeof output === 'string') return textResult(toolUse.toolUseId, output, 'success');
      const content = output.content.length > 0 ? output.content : [{ text: '(no output)' }];
      return { toolUseId: toolUse.toolUseId, content, status: output.isError ? 'error' : 'success' };
    } catch (error) {
      return textResult(toolUse.toolUseId, `${tool.name} failed: ${(error as Error).message}`, 'error');
    }
  }
}

/** Several toolsets as one; the first that knows a name answers it. */
export function combineToolsets(sets: readonly Toolset[]): Toolset {
  const owner = (name: string): Toolset | undefined => sets.find((set) => set.describe(name) !== undefined);
  return {
    get version() {
      // Each member only ever increments, so the sum changes whenever any member changes.
      return sets.reduce((sum, set) => sum + set.version, 0);
    },
    list: () => sets.flatMap((set) => set.list()),
    describe: (name) => owner(name)?.describe(name),
    toolSpecs: (caps) => {
      const parts = sets.map((set) => set.toolSpecs(caps));
      return {
        tools: parts.flatMap((p) => p.tools),
        warnings: parts.flatMap((p) => p.warnings),
        changes: parts.flatMap((p) => p.changes ?? []),
      };
    },
    execute: async (toolUse, context) => {
      const set = owner(toolUse.name);
      if (set) return set.execute(toolUse, context);
      return unknownToolResult(
        toolUse.toolUseId,
        toolUse.name,
        sets.flatMap((s) => s.list().map((d) => d.name)),
      );
    },
    argumentsFor: (toolUse) => {
      const set = owner(toolUse.name);
      const input = toolUse.input as JsonObject;
      return set?.argumentsFor ? set.argumentsFor(toolUse) : input;
    },
  };
}
