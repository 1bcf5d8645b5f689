/**
 * What Claude behind Bedrock rejects in tool input schemas, passed through as "The model returned the following
 * errors: …" (evidence: docs/schema-translation.md, "Emulator rules"): `anyOf`, `oneOf` or `allOf` at the top of
 * an input schema, even beside `type: "object"`, and more than 16 schema nodes with `anyOf` or a type array across
 * all tools of one request. Written from Bedrock's messages, independently of the bridge's compiler.
 */
import { isObj, type Json, type Obj } from './wire-request.js';

/** Anthropic's limit, as its message states it. */
export const UNION_LIMIT = 16;

/** Schema-valued keywords, by the shape of their value. */
const ONE = ['additionalProperties', 'items', 'contains', 'not', 'if', 'then', 'else', 'propertyNames'];
const MANY = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const NAMED = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

/** Schema nodes Anthropic counts as "parameters with union types": `anyOf` or a `type` array. */
export function unionParameters(schema: Json): number {
  if (!isObj(schema)) return 0;
  let count = Array.isArray(schema['anyOf']) || Array.isArray(schema['type']) ? 1 : 0;
  const children: Json[] = [];
  for (const k of ONE)
    if (k in schema) children.push(...(Array.isArray(schema[k]) ? (schema[k] as Json[]) : [schema[k] as Json]));
  for (const k of MANY) if (Array.isArray(schema[k])) children.push(...(schema[k] as Json[]));
  for (const k of NAMED) if (isObj(schema[k])) children.push(...Object.values(schema[k] as Obj));
  for (const child of children) count += unionParameters(child);
  return count;
}

function inputSchemas(toolConfig: Json | undefined): Json[] {
  const tools = isObj(toolConfig) && Array.isArray(toolConfig['tools']) ? toolConfig['tools'] : [];
  return tools.flatMap((t) => {
    const spec = isObj(t) ? t['toolSpec'] : undefined;
    const input = isObj(spec) ? spec['inputSchema'] : undefined;
    return isObj(input) && 'json' in input ? [input['json'] as Json] : [];
  });
}

/** Claude's rejection of the request's tool schemas, or undefined when it accepts them. */
export function claudeSchemaError(toolConfig: Json | undefined): string | undefined {
  const schemas = inputSchemas(toolConfig);
  // Anthropic numbers the tools it receives: Bedrock's toolSpec entries, in order (cachePoints are not tools).
  const top = schemas.findIndex((s) => isObj(s) && ['oneOf', 'allOf', 'anyOf'].some((k) => k in s));
  if (top >= 0) {
    return (
      `The model returned the following errors: tools.${top}.custom.input_schema: ` +
      'input_schema does not support oneOf, allOf, or anyOf at the top level'
    );
  }
  let unions = 0;
  for (const schema of schemas) unions += unionParameters(schema);
  if (unions > UNION_LIMIT) {
    return (
      'The model returned the following errors: Schemas contains too many parameters with union types ' +
      `(${unions} parameters with type arrays or anyOf). This causes exponential compilation cost. Reduce the ` +
      `number of nullable or union-typed parameters (limit: ${UNION_LIMIT} parameters with unions).`
    );
  }
  return undefined;
}
