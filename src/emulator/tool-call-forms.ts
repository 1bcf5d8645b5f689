/**
 * How the emulated models write a tool call (docs/bedrock-evidence.md, "Tool calls and ids"): a native `toolUse`
 * block with Bedrock's `tooluse_…` id (for every model, Mistral included), Mistral Large's positional text form
 * `__["tool", {…}]` where a recorded transcript shows it, and the `Tool Call:` JSON text of prompt-based models.
 */
import type { Json } from './wire-request.js';
import { randomBytes } from 'node:crypto';

/** A call the scenario makes, with the offered tool name resolved. */
export interface ScriptedCall {
  name: string;
  input: { [key: string]: Json };
}

/** Bedrock's own id shape: `tooluse_` and 22 base64url characters (`tooluse_kZJMlvQmRJ6eAyJE5GIl7Q`). */
export function newToolUseId(): string {
  return `tooluse_${randomBytes(16).toString('base64url')}`;
}

/** JSON with a space after `,` and `:`, as Mistral Large printed its text calls. */
function spacedJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(spacedJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${spacedJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** `__["CountLettersTool", {"word": "…", "letter": "E"}]`: Mistral Large's call written as text. */
export function positionalCallText(call: ScriptedCall): string {
  return `__${spacedJson([call.name, call.input])}`;
}

/** `Tool Call:\n[{"name": …, "arguments": …}]`: how prompt-based models answer a tool prompt. */
export function promptCallText(calls: readonly ScriptedCall[]): string {
  return `Tool Call:\n${JSON.stringify(calls.map((c) => ({ name: c.name, arguments: c.input })))}`;
}

/** A scenario's tool name matches an offered name exactly or as the suffix of a prefixed one (`server__tool`). */
export function isTool(offeredName: string, tool: string): boolean {
  return (
    offeredName === tool ||
    offeredName.endsWith(`__${tool}`) ||
    offeredName.endsWith(`_${tool}`) ||
    offeredName.endsWith(`-${tool}`)
  );
}

/** The offered name a scenario's tool resolves to: an exact match first, then a prefixed one. */
export function offeredTool(tool: string, offered: readonly string[]): string | undefined {
  return offered.find((n) => n === tool) ?? offered.find((n) => isTool(n, tool));
}
