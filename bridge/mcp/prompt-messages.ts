/**
 * An MCP prompt (`prompts/get`) as Converse messages: text as text blocks, images as image blocks where the model
 * reads them, embedded resources as `resourceBlocks` makes them, resource links as a line; consecutive messages of
 * one role become one message, since Converse alternates roles (docs/remote-servers.md, "Prompts and resources").
 */
import type { ModelCapabilities } from '../converse/capabilities.js';
import type { ContentBlock, Message } from '../converse/types.js';
import type { GetPromptResult } from './mcp-hub.js';
import { type ResourceContents, resourceBlocks } from './resource-blocks.js';
import { type McpContent, mcpContentBlock } from './tool-results.js';

/**
 * The Converse messages of a prompt, in order.
 *
 * @param caps the model's capabilities (`vision`, `documents`); without them images and documents are kept.
 */
export function promptMessages(
  result: GetPromptResult,
  caps?: Pick<ModelCapabilities, 'vision' | 'documents'>,
): Message[] {
  const messages: Message[] = [];
  for (const { role, content } of result.messages) {
    const blocks: ContentBlock[] =
      content.type === 'resource'
        ? resourceBlocks({ contents: [content.resource] } as ResourceContents, caps)
        : content.type === 'image' && caps && !caps.vision
          ? [{ text: `[image (${content.mimeType}) in the prompt, but this model does not read images]` }]
          : [mcpContentBlock(content as McpContent) as ContentBlock];
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  }
  return messages;
}
