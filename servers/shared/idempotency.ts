/**
 * Idempotency keys of tool calls (docs/deploy.md): a client that may retry a call (our McpHub does, through a load
 * balancer) sends a fresh key in the call's `_meta`, the same on every attempt. A server that records the key with
 * the change it made can answer a retry of a call that already succeeded as a success, so a lost reply does not
 * turn a completed action into an error.
 */

/** The `_meta` key; the bridge's McpHub sends the same one. */
export const IDEMPOTENCY_META_KEY = 'mcp-bedrock-bridge/idempotency-key';

/** The call's key, when it sent a usable one (1-255 characters). */
export function idempotencyKey(meta: Record<string, unknown> | undefined): string | undefined {
  const key = meta?.[IDEMPOTENCY_META_KEY];
  return typeof key === 'string' && key.length > 0 && key.length <= 255 ? key : undefined;
}
