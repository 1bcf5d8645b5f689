/**
 * The places of a JSON Schema (2020-12, plus draft-07's array `items` and `definitions`) that hold subschemas, and
 * a walk over them that knows which parameter each node describes. Shared by the schema compiler and the union
 * cap (docs/schema-translation.md). Pure.
 */
import type { JsonObject, JsonValue } from './types.js';

/** Keywords whose value is one subschema. */
const SINGLE = [
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'items',
  'additionalItems',
  'unevaluatedItems',
  'contains',
  'not',
  'if',
  'then',
  'else',
] as const;
/** Keywords whose value is a list of subschemas. */
const LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
/** Keywords whose value maps names (data, not keywords) to subschemas. */
const MAPS = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'] as const;

/** Where a node sits: the parameter it describes and how deep it is. */
export interface SchemaSite {
  /** The parameter path (see `SchemaChange.parameter`). */
  parameter: string;
  depth: number;
  /** Set when the node is `properties[name]` of its parent: whether the parent requires that name. */
  optional?: boolean;
}

export const isSchemaObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const ITEM_KEYWORDS = new Set(['items', 'additionalItems', 'unevaluatedItems', 'contains', 'prefixItems']);
const ANY_KEY_KEYWORDS = new Set(['additionalProperties', 'unevaluatedProperties', 'patternProperties']);

/** The parameter path of a subschema under `keyword` (and `name`, for `properties`) of a node at `parameter`. */
export function childParameter(parameter: string, keyword: string, name?: string): string {
  if (keyword === 'properties') return parameter === '' ? (name as string) : `${parameter}.${name}`;
  if (ITEM_KEYWORDS.has(keyword)) return `${parameter}[]`;
  if (ANY_KEY_KEYWORDS.has(keyword)) return parameter === '' ? '*' : `${parameter}.*`;
  return parameter;
}

function requiredOf(node: JsonObject): ReadonlySet<string> {
  const required = node['required'];
  return new Set(Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string') : []);
}

/**
 * Calls `visit` for `node` and every subschema below it, parents before children. `$defs` are walked too (their
 * nodes describe no parameter of their own: they keep the path of the schema that holds them).
 */
export function walkSchema(
  node: JsonValue,
  visit: (node: JsonObject, site: SchemaSite) => void,
  site: SchemaSite = { parameter: '', depth: 0 },
): void {
  if (!isSchemaObject(node)) return;
  visit(node, site);
  const depth = site.depth + 1;
  for (const keyword of SINGLE) {
    const value = node[keyword];
    if (Array.isArray(value)) {
      for (const item of value) walkSchema(item, visit, { parameter: childParameter(site.parameter, keyword), depth });
    } else if (value !== undefined) {
      walkSchema(value, visit, { parameter: childParameter(site.parameter, keyword), depth });
    }
  }
  for (const keyword of LISTS) {
    const value = node[keyword];
    if (!Array.isArray(value)) continue;
    for (const item of value) walkSchema(item, visit, { parameter: childParameter(site.parameter, keyword), depth });
  }
  for (const keyword of MAPS) {
    const value = node[keyword];
    if (!isSchemaObject(value)) continue;
    const required = keyword === 'properties' ? requiredOf(node) : undefined;
    for (const name of Object.keys(value)) {
      const child: SchemaSite = { parameter: childParameter(site.parameter, keyword, name), depth };
      if (required) child.optional = !required.has(name);
      walkSchema(value[name] as JsonValue, visit, child);
    }
  }
}

/** A node with a union Bedrock's Claude counts: `anyOf`, or a type array; `oneOf` is counted too, to be safe. */
export function isUnionNode(node: JsonObject): boolean {
  return Array.isArray(node['anyOf']) || Array.isArray(node['oneOf']) || Array.isArray(node['type']);
}

/** Union nodes in a schema (see `isUnionNode`). */
export function countUnionNodes(schema: JsonValue): number {
  let count = 0;
  walkSchema(schema, (node) => {
    if (isUnionNode(node)) count++;
  });
  return count;
}
