/**
 * MCP `CallToolResult` → canonical Converse `toolResult` (Bedrock's toolResult rules and the
 * peers' bugs around them: docs/bedrock-model-quirks.md). The result keeps
 * everything a capable model can read (images, documents, json); `toWireRequest` degrades it per model.
 */
import { createHash } from 'node:crypto';
import type {
  DocumentFormat,
  ImageFormat,
  JsonObject,
  JsonValue,
  ToolResultBlock,
  ToolResultContentBlock,
} from '../converse/types.js';

/** The subset of MCP's CallToolResult this mapping reads. */
export interface McpToolResult {
  content?: McpContent[];
  structuredContent?: { [key: string]: unknown };
  isError?: boolean;
}

/** A content item of an MCP tool result. */
export type McpContent =
  | { type: 'text'; text: string }
  | { type: 'image'; data: string; mimeType: string }
  | { type: 'audio'; data: string; mimeType: string }
  | { type: 'resource'; resource: { uri: string; mimeType?: string; text?: string; blob?: string } }
  | { type: 'resource_link'; uri: string; name: string; description?: string; mimeType?: string }
  | { type: string; [key: string]: unknown };

/** Text beyond this many characters in one tool result is cut, with a note saying so. */
export const MAX_RESULT_CHARS = 100_000;

/** Plain Uint8Array (not Buffer, whose toJSON would leak into saved sessions). */
const bytesOf = (base64: string): Uint8Array => Uint8Array.from(Buffer.from(base64, 'base64'));

const IMAGE_FORMATS: Record<string, ImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};
const DOCUMENT_FORMATS: Record<string, DocumentFormat> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/markdown': 'md',
  'text/plain': 'txt',
};

/** Bedrock document names: alphanumerics, single spaces, hyphens, parentheses, brackets; unique per request. */
function documentName(uri: string): string {
  const base = (uri.split('/').pop() ?? 'document')
    .replace(/\.[a-z0-9]+$/i, '')
    .replace(/[^a-zA-Z0-9 ()[\]-]/g, '-')
    .replace(/\s+/g, ' ')
    .slice(0, 40);
  return `${base || 'document'}-${createHash('sha256').update(uri).digest('hex').slice(0, 8)}`;
}

function truncate(text: string): string {
  if (text.length <= MAX_RESULT_CHARS) return text;
  return `${text.slice(0, MAX_RESULT_CHARS)}\n[truncated: ${text.length - MAX_RESULT_CHARS} more characters not shown]`;
}

/**
 * One MCP content item as the Converse block that carries it (text, image, document, or a note of what was left out).
 */
export function mcpContentBlock(item: McpContent): ToolResultContentBlock {
  switch (item.type) {
    case 'text':
      return { text: truncate(String(item['text'])) };
    case 'image': {
      const mime = String(item['mimeType']);
      const format = IMAGE_FORMATS[mime];
      return format
        ? { image: { format, source: { bytes: bytesOf(String(item['data'])) } } }
        : { text: `[image of type ${mime} not shown: Bedrock accepts png, jpeg, gif and webp]` };
    }
    case 'audio':
      return { text: `[audio (${String(item['mimeType'])}) not shown: Bedrock models cannot read audio here]` };
    case 'resource': {
      const r = item['resource'] as { uri: string; mimeType?: string; text?: string; blob?: string };
      if (typeof r.text === 'string') return { text: truncate(`${r.uri}:\n${r.text}`) };
      const format = r.mimeType ? DOCUMENT_FORMATS[r.mimeType] : undefined;
      if (format && typeof r.blob === 'string')
        return { document: { format, name: documentName(r.uri), source: { bytes: bytesOf(r.blob) } } };
      const image = r.mimeType ? IMAGE_FORMATS[r.mimeType] : undefined;
      if (image && typeof r.blob === 'string') return { image: { format: image, source: { bytes: bytesOf(r.blob) } } };
      return { text: `[resource ${r.uri} (${r.mimeType ?? 'unknown type'}) not shown]` };
    }
    case 'resource_link':
      return {
        text:
          `Resource: ${String(item['name'])} ` +
          `<${String(item['uri'])}>${item['description'] ? ` — ${String(item['description'])}` : ''}`,
      };
    default:
      return { text: `[${item.type} content not shown]` };
  }
}

function sameJson(text: string, serialized: string): boolean {
  // Most servers print exactly JSON.stringify(structuredContent): compare strings before parsing anything.
  if (text === serialized) return true;
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return false;
  try {
    return JSON.stringify(JSON.parse(text)) === serialized;
  } catch {
    return false;
  }
}

/**
 * The canonical Converse `toolResult` for an MCP tool result: text, images, documents and resources kept,
 * `structuredContent` as a `json` block when the text does not already carry it, `isError` as status `error`, and
 * never an empty result.
 */
export function toToolResult(toolUseId: string, result: McpToolResult): ToolResultBlock {
  let content = (result.content ?? []).map(mcpContentBlock);
  const structured = result.structuredContent as JsonValue | undefined;
  if (structured !== undefined && structured !== null) {
    // json must be an object; a text block that only repeats the structured JSON would cost tokens twice.
    const json: JsonObject =
      typeof structured === 'object' && !Array.isArray(structured) ? structured : { result: structured };
    const serialized = JSON.stringify(structured);
    content = content.filter((block) => !('text' in block && sameJson(block.text, serialized)));
    content.unshift({ json });
  }
  const status = result.isError ? 'error' : 'success';
  if (content.length === 0)
    content.push({ text: result.isError ? 'The tool failed without saying why.' : '(no output)' });
  if (result.isError && !content.some((b) => 'text' in b && b.text.trim() !== ''))
    content.unshift({ text: 'The tool reported an error.' });
  return { toolUseId, content, status };
}
