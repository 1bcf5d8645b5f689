/** Tool results the bridge writes itself (errors, denials, interruptions, plain text): one shape everywhere. */
import type { ToolResultBlock, ToolResultStatus } from './types.js';

/** A one-text-block result; empty text becomes `(no output)`, since Bedrock rejects empty text blocks. */
export function textResult(toolUseId: string, text: string, status: ToolResultStatus = 'success'): ToolResultBlock {
  return { toolUseId, content: [{ text: text === '' ? '(no output)' : text }], status };
}

/** A failed call's result: the model reads `text` and can react to it. */
export function errorResult(toolUseId: string, text: string): ToolResultBlock {
  return textResult(toolUseId, text, 'error');
}
