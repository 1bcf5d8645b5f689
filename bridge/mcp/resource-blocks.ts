/**
 * An MCP resource attached to a Converse user message: text contents become text blocks (named by their URI),
 * binary contents become image or document blocks where the model reads them, and a note otherwise, so the
 * model always knows what was attached (docs/remote-servers.md, "Prompts and resources").
 */
import type { ModelCapabilities } from '../converse/capabilities.js';
import type { ContentBlock } from '../converse/types.js';
import { mcpContentBlock } from './tool-results.js';

/** The contents of a `resources/read` result, as MCP defines them. */
export interface ResourceContents {
  contents: { uri: string; mimeType?: string; text?: string; blob?: string }[];
}

/**
 * The Converse content blocks carrying a read resource, for a user message.
 *
 * @param caps the model's capabilities (`vision`, `documents`); without them images and documents are kept.
 */
export function resourceBlocks(result: ResourceContents, caps?: Pick<ModelCapabilities, 'vision' | 'documents'>) {
  return result.contents.map((resource): ContentBlock => {
    const block = mcpContentBlock({ type: 'resource', resource }) as ContentBlock;
    const kind = resource.mimeType ?? 'unknown type';
    if ('image' in block && caps && !caps.vision)
      return { text: `[image ${resource.uri} (${kind}) attached, but this model does not read images]` };
    if ('document' in block && caps && !caps.documents)
      return { text: `[document ${resource.uri} (${kind}) attached, but this model does not read documents]` };
    return block;
  });
}
