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
  /** Under `not` or `if`: accepting more there accepts less overall. */
  negated?: boolean;
}

/** A visit's view of where it is: the site and the nodes above it (root first; valid only during the call). */
export type SchemaVisitor = (node: JsonObject, site: SchemaSite, ancestors: readonly JsonObject[]) => void;

const NEGATING = new Set(['not', 'if']);

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
export function walkSchema(node: JsonValue, visit: SchemaVisitor): void {
  const ancestors: JsonObject[] = [];
  const walk = (value: JsonValue | undefined, site: SchemaSite): void => {
    if (!isSchemaObject(value)) return;
    visit(value, site, ancestors);
    ancestors.push(value);
    const depth = site.depth + 1;
    const child = (keyword: string, name?: string): SchemaSite => {
      const next: SchemaSite = { parameter: childParameter(site.parameter, keyword, name), depth };
      if (site.negated || NEGATING.has(keyword)) next.negated = true;
      return next;
    };
    for (const keyword of SINGLE) {
      const sub = value[keyword];
      if (Array.isArray(sub)) for (const item of sub) walk(item, child(keyword));
      else walk(sub, child(keyword));
    }
    for (const keyword of LISTS) {
      const list = value[keyword];
      if (Array.isArray(list)) for (const item of list) walk(item, child(keyword));
    }
    for (const keyword of MAPS) {
      const map = value[keyword];
      if (!isSchemaObject(map)) continue;
      const required = keyword === 'properties' ? requiredOf(value) : undefined;
      for (const name of Object.keys(map)) {
        const next = child(keyword, name);
        if (required) next.optional = !required.has(name);
        walk(map[name], next);
      }
    }
    ancestors.pop();
  };
  walk(node, { parameter: '', depth: 0 });
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
