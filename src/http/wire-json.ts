/**
 * Converse JSON on the wire carries binary fields (`bytes`, `redactedContent`) as base64 strings; the bridge's
 * types hold Uint8Array. These two functions convert between them.
 */
const BINARY_KEYS = new Set(['bytes', 'redactedContent']);
/** A text without these keys has no binary field: it parses without a reviver, which costs a call per value. */
const MAY_HOLD_BINARY = /"(?:bytes|redactedContent)"/;

/** Parses wire JSON, turning the base64 of binary fields into Uint8Array. */
export function fromWireJson<T>(text: string): T {
  if (!MAY_HOLD_BINARY.test(text)) return JSON.parse(text) as T;
  return JSON.parse(text, (key, value: unknown) =>
    BINARY_KEYS.has(key) && typeof value === 'string' ? Uint8Array.from(Buffer.from(value, 'base64')) : value,
  ) as T;
}

/** Whether a Uint8Array is anywhere in `value`: walking for one costs less than a replacer called per value. */
function holdsBinary(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (value instanceof Uint8Array) return true;
  if (Array.isArray(value)) return value.some(holdsBinary);
  for (const key in value) if (holdsBinary((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** Writes wire JSON, with Uint8Array values as base64. */
export function toWireJson(value: unknown): string {
  if (!holdsBinary(value)) return JSON.stringify(value);
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
}
