/**
 * Tool results read the way a model reads them, whoever wrote them (docs/bedrock-evidence.md, "How the scripted
 * model reads tool results"): structured `json` blocks, JSON inside a text block (also a JSON array of MCP content
 * items, as some clients stringify results), JSON embedded in prose, else the text itself. A result failed when
 * its `status` says so; without `status`, when its words say so (`Station WZPA not found.`, `Error: …`).
 */
import { isObj, type Json, type Obj } from './wire-request.js';

/** One tool result as the scripted model understood it. */
export interface ReadResult {
  /** The structured value: an object or array when the result holds JSON, else `{text}`. */
  value: Json;
  /** Whether the tool failed. */
  error: boolean;
}

/** Prompt-based results: the bridge's `<tool_result>` tags and the `<system>… tool result for X …</system>` form. */
const TAGGED_RESULT = /<tool_result name="([^"]*)" status="([^"]*)">\n([\s\S]*?)\n<\/tool_result>/g;
const SYSTEM_RESULT = /<system>(Successful|Failed) tool result for (\S+) tool call: ([\s\S]*?)<\/system>/g;

/** A first line or label that only says "this failed", carrying no message of its own. */
const GENERIC_FAILURE = /^(?:error|tool error|failure|failed)(?::\s*the tool call failed\.?|\.?)\s*$/i;
const FAILURE_LABEL = /^(?:error|failure|failed)\s*[:-]\s*/i;
/** Words a model takes as a failure when nothing else says so; only the opening of a short text is read. */
const FAILURE_OPENING = /^(?:error|failed|failure|exception)\b/i;
const FAILURE_WORDS = new RegExp(
  String.raw`\b(?:${[
    'not found',
    'no such',
    'does not exist',
    "doesn't exist",
    'could not',
    "couldn't",
    'cannot',
    "can't",
    'unable to',
    'invalid',
    'denied',
    'not allowed',
    'failed',
  ].join('|')})\b`,
  'i',
);

function parseJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** MCP content items (`[{"type":"text","text":"…"}]`) stringified by a client: their texts, else undefined. */
function mcpTexts(value: Json): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (!value.every((item) => isObj(item) && item['type'] === 'text' && typeof item['text'] === 'string'))
    return undefined;
  return value.map((item) => (item as Obj)['text'] as string).join('\n');
}

/** The first `{…}` or `[…]` in prose that parses as JSON. */
function embeddedJson(text: string): Json | undefined {
  for (const [open, close] of [
    ['{', '}'],
    ['[', ']'],
  ] as const) {
    const start = text.indexOf(open);
    const end = text.lastIndexOf(close);
    if (start >= 0 && end > start) {
      const value = parseJson(text.slice(start, end + 1));
      if (value !== undefined && typeof value === 'object') return value;
    }
  }
  return undefined;
}

/** What a text says, as a value: JSON when it holds JSON, else `{text}` with generic failure labels removed. */
function valueOfText(text: string, depth = 0): Json {
  const trimmed = text.trim();
  const whole = parseJson(trimmed);
  if (whole !== undefined) {
    const inner = depth < 2 ? mcpTexts(whole) : undefined;
    if (inner !== undefined) return valueOfText(inner, depth + 1);
    if (typeof whole === 'object' && whole !== null) return whole;
    if (typeof whole === 'string') return { text: whole };
  }
  const lines = trimmed.split('\n').filter((line) => !GENERIC_FAILURE.test(line.trim()));
  const message = lines.join('\n').trim();
  const embedded = message.length < 100_000 ? embeddedJson(message) : undefined;
  if (embedded !== undefined) return embedded;
  return { text: message.replace(FAILURE_LABEL, '') };
}

function soundsLikeFailure(text: string, value: Json): boolean {
  if (isObj(value) && typeof value['error'] === 'string') return true;
  if (!isObj(value) || typeof value['text'] !== 'string') return false;
  const opening = text.trim().slice(0, 300);
  return FAILURE_OPENING.test(opening) || FAILURE_WORDS.test(opening);
}

/** Text with the prompt-based tool results written into it removed: what is left is the user's own words. */
export function withoutResultText(text: string): string {
  return text.replace(TAGGED_RESULT, '').replace(SYSTEM_RESULT, '');
}

/** Reads one native `toolResult` block. */
export function readToolResult(result: Obj): ReadResult {
  const parts = Array.isArray(result['content']) ? (result['content'] as Json[]).filter(isObj) : [];
  const json = parts.find((p) => 'json' in p);
  const text = parts.flatMap((p) => (typeof p['text'] === 'string' ? [p['text']] : [])).join('\n');
  const value = json ? (json['json'] as Json) : valueOfText(text);
  const status = result['status'];
  const error = status === 'error' || status === 'success' ? status === 'error' : soundsLikeFailure(text, value);
  return { value, error };
}

/** Every tool result in one user message: native blocks, or results written as text for prompt-based models. */
export function resultsOf(message: Obj): ReadResult[] {
  const out: ReadResult[] = [];
  const blocks = Array.isArray(message['content']) ? (message['content'] as Json[]).filter(isObj) : [];
  for (const block of blocks) {
    const result = block['toolResult'];
    if (isObj(result)) out.push(readToolResult(result));
    else if (typeof block['text'] === 'string') {
      for (const m of block['text'].matchAll(TAGGED_RESULT)) {
        const value = valueOfText(m[3] ?? '');
        out.push({ value, error: m[2] === 'error' });
      }
      for (const m of block['text'].matchAll(SYSTEM_RESULT)) {
        out.push({ value: valueOfText(m[3] ?? ''), error: m[1] === 'Failed' });
      }
    }
  }
  return out;
}
