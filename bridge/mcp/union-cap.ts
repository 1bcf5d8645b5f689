/**
 * Claude on Bedrock rejects requests whose tools together have more than 16 union-typed parameters ("Schemas
 * contains too many parameters with union types", peers #8). Past the limit, a union keeps its first branch: the
 * tool stays usable with a narrower type instead of breaking every request. Pure; inputs are never mutated.
 */
import type { JsonObject, JsonValue, Tool } from '../converse/types.js';

export const UNION_PARAMETER_LIMIT = 16;

const isObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isUnion(schema: JsonObject): boolean {
  return Array.isArray(schema['anyOf']) || Array.isArray(schema['oneOf']) || Array.isArray(schema['type']);
}

function collapse(schema: JsonObject): JsonObject {
  const { anyOf, oneOf, ...rest } = schema;
  const branches = (Array.isArray(anyOf) ? anyOf : Array.isArray(oneOf) ? oneOf : []).filter(isObject);
  const type = Array.isArray(rest['type']) ? rest['type'][0] : rest['type'];
  return { ...(branches[0] ?? {}), ...rest, ...(type !== undefined && { type }) };
}

/** Walks properties depth-first, counting unions and collapsing those past the budget; unchanged schemas are returned as they are. */
function cap(schema: JsonObject, budget: { left: number; collapsed: number }): JsonObject {
  const properties = schema['properties'];
  if (!isObject(properties)) return schema;
  let out: JsonObject | undefined;
  for (const [key, value] of Object.entries(properties)) {
    if (!isObject(value)) continue;
    let next = value;
    if (isUnion(value)) {
      if (budget.left > 0) budget.left--;
      else {
        next = collapse(value);
        budget.collapsed++;
      }
    }
    next = cap(next, budget);
    if (next !== value) {
      out ??= { ...properties };
      out[key] = next;
    }
  }
  return out ? { ...schema, properties: out } : schema;
}

export function capUnionParameters(
  tools: readonly Tool[],
  limit = UNION_PARAMETER_LIMIT,
): { tools: Tool[]; collapsed: number } {
  const budget = { left: limit, collapsed: 0 };
  const capped = tools.map((tool): Tool => {
    if (!('toolSpec' in tool)) return tool;
    const json = cap(tool.toolSpec.inputSchema.json, budget);
    return json === tool.toolSpec.inputSchema.json ? tool : { toolSpec: { ...tool.toolSpec, inputSchema: { json } } };
  });
  return { tools: capped, collapsed: budget.collapsed };
}
