/**
 * Prompt-based tool calling for models that have no native tool use on Converse (Titan text, Llama 2/3,
 * Llama 3.2 1b/3b, Mistral Instruct, Claude 2, …): the tools are described in the system text, the model writes
 * calls as a `Tool Call:` JSON array, and past calls and results travel as plain text (the Charlie sample's
 * format: docs/fixtures.md).
 */
import type { JsonValue, Tool, ToolResultBlock, ToolUseBlock } from './types.js';

/** The system text that teaches the model the tools and the one call format we parse. */
export function toolPromptText(tools: readonly Tool[]): string {
  const lines = tools.flatMap((tool) =>
    'toolSpec' in tool
      ? [
          JSON.stringify({
            type: 'function',
            function: {
              name: tool.toolSpec.name,
              description: tool.toolSpec.description ?? tool.toolSpec.name,
              parameters: tool.toolSpec.inputSchema.json,
            },
          }),
        ]
      : [],
  );
  return [
    'You can call the following tools, one or several at a time. Each is described in JSON Schema:',
    ...lines,
    '',
    'To call tools, write a line "Tool Call:" followed on the next line by a JSON array of calls, exactly in this',
    'single-line format, and then end your turn:',
    'Tool Call:',
    '[{"name": "SampleTool", "arguments": {"foo": "bar"}}, {"name": "SampleTool", "arguments": {"foo": "baz"}}]',
    'Call only the tools needed for the next step. Results come back in <tool_result> tags; the user cannot see them.',
    'After an error you may retry a call, but give up after 3 errors. When you need no tool, answer normally.',
  ].join('\n');
}

/** A past call, as the model would have written it. */
export function renderToolCalls(calls: readonly ToolUseBlock[]): string {
  const array = calls.map((call) => ({ name: call.name, arguments: call.input }));
  return `Tool Call:\n${JSON.stringify(array)}`;
}

/** A tool result's content as plain text, for models that read results as text. */
export function toolResultText(result: ToolResultBlock): string {
  return result.content
    .map((block) => {
      if ('text' in block) return block.text;
      if ('json' in block) return JSON.stringify(block.json as JsonValue);
      if ('image' in block)
        return `[image/${block.image.format} omitted: this model cannot read images in tool results]`;
      return `[document ${block.document.name} omitted]`;
    })
    .join('\n');
}

/** A past result, as user text the model can tell apart from the user's own words. */
export function renderToolResult(result: ToolResultBlock, toolName: string): string {
  const status = result.status === 'error' ? 'error' : 'success';
  return `<tool_result name="${toolName}" status="${status}">\n${toolResultText(result)}\n</tool_result>`;
}
