/**
 * Finds tool calls that a model wrote as text: the prompt-based `Tool Call:` JSON-array form
 * (`[{"name": …, "arguments": {…}}]`, Titan's `{"tool": …}` variant, junk prefixes such as `omitempty`)
 * and Mistral's positional form (`__["Tool", {…}]`). A call is accepted only when it names a tool we sent,
 * so prose that merely looks like JSON is never executed.
 */
import { isJsonObject } from './json.js';
import type { JsonObject, JsonValue } from './types.js';

/** A tool call found in a model's text. */
export interface TextToolCall {
  name: string;
  input: JsonObject;
}

/** The calls found in a model's text, and the text without them. */
export interface TextToolCallParse {
  calls: TextToolCall[];
  /** The text that remains once the calls, their line prefixes and a `Tool Call:` label are removed. */
  text: string;
}

// Where a candidate array may start: `[{"name"`, `[{"tool"`, `["Tool", {`, or `[["Tool", {`.
const CANDIDATE_START = /\[\s*(?:\{\s*"(?:name|tool)"\s*:|"[^"\n]{1,128}"\s*,\s*\{|\[\s*"[^"\n]{1,128}"\s*,\s*\{)/g;
const LABEL = /(?:^|\n)[ \t]*tool[ _]?calls?[ \t]*:?\s*$/i;

/** Index just past the bracket that closes the one at `start`, honouring JSON strings; -1 when unbalanced. */
function matchingBracket(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  if (value === undefined) return {};
  if (typeof value === 'string') {
    // Some models double-encode arguments as a JSON string.
    try {
      return asObject(JSON.parse(value) as JsonValue);
    } catch {
      return undefined;
    }
  }
  return isJsonObject(value) ? value : undefined;
}

function toCall(element: JsonValue, known: ReadonlySet<string>): TextToolCall | undefined {
  if (Array.isArray(element)) {
    const [name, args] = element;
    const input = asObject(args);
    return typeof name === 'string' && known.has(name) && input && element.length <= 2 ? { name, input } : undefined;
  }
  if (element === null || typeof element !== 'object') return undefined;
  const name = element['name'] ?? element['tool'];
  const input = asObject(element['arguments'] ?? element['input'] ?? element['parameters']);
  return typeof name === 'string' && known.has(name) && input ? { name, input } : undefined;
}

/** Every element must be a call to a known tool, otherwise the candidate is not a tool call at all. */
function callsOf(parsed: JsonValue, known: ReadonlySet<string>): TextToolCall[] | undefined {
  if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
  const positionalPair = typeof parsed[0] === 'string';
  const elements = positionalPair ? [parsed] : parsed;
  const calls = elements.map((element) => toCall(element, known));
  return calls.every((c): c is TextToolCall => c !== undefined) ? calls : undefined;
}

/** Returns the calls found, or undefined when the text holds no acceptable call (the text then stays as it is). */
export function parseTextToolCalls(text: string, knownTools: ReadonlySet<string>): TextToolCallParse | undefined {
  const calls: TextToolCall[] = [];
  const spans: [number, number][] = [];
  CANDIDATE_START.lastIndex = 0;
  for (let match = CANDIDATE_START.exec(text); match; match = CANDIDATE_START.exec(text)) {
    const end = matchingBracket(text, match.index);
    if (end < 0) continue;
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(text.slice(match.index, end)) as JsonValue;
    } catch {
      continue;
    }
    const found = callsOf(parsed, knownTools);
    if (!found) continue;
    calls.push(...found);
    // A prefix on the call's own line (`omitempty `, `__`) is model noise, not prose.
    const lineStart = text.lastIndexOf('\n', match.index - 1) + 1;
    spans.push([/^[^[\]{}"]*$/.test(text.slice(lineStart, match.index)) ? lineStart : match.index, end]);
    CANDIDATE_START.lastIndex = end;
  }
  if (calls.length === 0) return undefined;
  let remaining = '';
  let cursor = 0;
  for (const [from, to] of spans) {
    remaining += text.slice(cursor, from).replace(LABEL, '');
    cursor = to;
  }
  remaining += text.slice(cursor);
  return { calls, text: remaining.replace(/\n{3,}/g, '\n\n').trim() };
}
