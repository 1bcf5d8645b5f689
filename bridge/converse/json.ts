/** The one test for "a JSON object" (not null, not an array) used wherever the bridge reads JSON. */
import type { JsonObject } from './types.js';

/** True for a plain JSON object: not `null`, not an array, not a primitive. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
