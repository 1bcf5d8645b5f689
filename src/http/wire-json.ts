/**
 * Converse JSON on the wire carries binary fields (`bytes`, `redactedContent`) as base64 strings; the bridge's
 * types hold Uint8Array. These two functions convert between them.
 */
const BINARY_KEYS = new Set(['bytes', 'redactedContent']);

export function fromWireJson<T>(text: string): T {
  return JSON.parse(text, (key, value: unknown) =>
    BINARY_KEYS.has(key) && typeof value === 'string' ? Uint8Array.from(Buffer.from(value, 'base64')) : value,
  ) as T;
}

export function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
}
