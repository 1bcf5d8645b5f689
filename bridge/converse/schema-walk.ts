/**
 * The places of a JSON Schema (2020-12, plus draft-07's array `items` and `definitions`) that hold subschemas, and
 * a walk over them that knows which parameter each node describes. Shared by the schema compiler and the union
 * cap (docs/schema-translation.md). Pure.
 */
import { isJsonObject } from './json.js';
import type { JsonObject, JsonValue } from './types.js';

/** Keywords that hold subschemas: one (`single`; draft-07's array `items` too), a list, or a map of names to them. */
const SUBSCHEMAS: ReadonlyMap<string, 'single' | 'list' | 'map'> = new Map([
  ...(
    [
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
    ] as const
  ).map((k) => [k, 'single'] as const),
  ...(['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const).map((k) => [k, 'list'] as const),
  ...(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'] as const).map(
    (k) => [k, 'map'] as const,
  ),
]);

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

/** Whether a JSON value is an object (a schema node or a map of them), not an array or a scalar. */
export const isSchemaObject: (v: JsonValue | undefined) => v is JsonObject = isJsonObject;

/** An own property of a map whose keys are data (a property named `constructor` is not Object's). */
export function own(map: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Sets a data key: `__proto__` becomes an ordinary property instead of the object's prototype. */
export function put(map: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__')
    Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}

/** An object built from entries, so a key such as `__proto__` stays an ordinary property. */
export function fromEntries(entries: Iterable<readonly [string, JsonValue]>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of entries) put(out, key, value);
  return out;
}

/** A deep copy of JSON data in which every object is its own (shared subschemas become separate nodes). */
export function copyJson<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) return value.map(copyJson) as T;
  if (!isSchemaObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) put(out, key, copyJson(value[key] as JsonValue));
  return out as T;
}

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
    for (const keyword of Object.keys(value)) {
      const kind = SUBSCHEMAS.get(keyword);
      if (kind === undefined) continue;
      const sub = value[keyword];
      const negated = site.negated === true || NEGATING.has(keyword);
      const at = (parameter: string): SchemaSite => (negated ? { parameter, depth, negated } : { parameter, depth });
      if (kind === 'map') {
        if (!isSchemaObject(sub)) continue;
        const required = keyword === 'properties' ? requiredOf(value) : undefined;
        for (const name of Object.keys(sub)) {
          const next = at(childParameter(site.parameter, keyword, name));
          if (required) next.optional = !required.has(name);
          walk(sub[name], next);
        }
      } else if (Array.isArray(sub)) {
        for (const item of sub) walk(item, at(childParameter(site.parameter, keyword)));
      } else if (kind === 'single') {
        walk(sub, at(childParameter(site.parameter, keyword)));
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

/** Union nodes in a schema (see `isUnionNode`); the same nodes `walkSchema` visits, without sites. */
export function countUnionNodes(schema: JsonValue | undefined): number {
  if (!isSchemaObject(schema)) return 0;
  let count = isUnionNode(schema) ? 1 : 0;
  for (const keyword of Object.keys(schema)) {
    const kind = SUBSCHEMAS.get(keyword);
    if (kind === undefined) continue;
    const sub = schema[keyword];
    if (kind === 'map') {
      if (isSchemaObject(sub)) for (const name of Object.keys(sub)) count += countUnionNodes(sub[name]);
    } else if (Array.isArray(sub)) {
      for (const item of sub) count += countUnionNodes(item);
    } else if (kind === 'single') {
      count += countUnionNodes(sub);
    }
  }
  return count;
}
