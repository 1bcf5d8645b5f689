/**
 * MCP `inputSchema` → a schema Bedrock accepts for a model family (converse-api.md §4.2, peers.md):
 * `$ref` inlined (cycle-safe), `$defs`/`definitions`/`$schema`/`$id`/`$comment` removed, a root that is an object
 * with `properties`, null branches dropped from unions, property keys outside Bedrock's pattern renamed (the
 * reverse map is applied to the model's arguments), and Nova's stricter dialect. Pure.
 */
import type { JsonObject, JsonValue } from '../converse/types.js';

export interface CompiledSchema {
  schema: JsonObject;
  /** Renamed top-level property → the tool's own name. */
  renamed: Map<string, string>;
}

export type CompileResult = { ok: true; compiled: CompiledSchema } | { ok: false; reason: string };

const isObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const DROP = new Set(['$schema', '$id', '$comment', '$defs', 'definitions']);
const KEY = /^[a-zA-Z0-9_-]{1,64}$/;
const INT32 = 2 ** 31 - 1;

function resolveRef(ref: string, root: JsonObject): JsonValue | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: JsonValue | undefined = root;
  for (const part of ref.slice(2).split('/'))
    node = isObject(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return node;
}

function isNullSchema(v: JsonValue): boolean {
  return isObject(v) && v['type'] === 'null';
}

function clean(node: JsonValue, root: JsonObject, seen: readonly string[], dialect: 'full' | 'nova'): JsonValue {
  if (Array.isArray(node)) return node.map((n) => clean(n, root, seen, dialect));
  if (!isObject(node)) {
    // Anthropic rejects integers beyond int32 in schemas ("int too big to convert").
    return typeof node === 'number' && Number.isInteger(node) && Math.abs(node) > INT32
      ? Math.sign(node) * INT32
      : node;
  }
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    // A recursive reference cannot be inlined forever: below the first level it becomes an open object.
    if (seen.includes(ref)) return { type: 'object', description: `recursive ${ref.split('/').pop() ?? ''}`.trim() };
    const target = resolveRef(ref, root);
    const { $ref: _, ...siblings } = node;
    if (target === undefined) return clean(siblings, root, seen, dialect);
    return clean({ ...(isObject(target) ? target : {}), ...siblings }, root, [...seen, ref], dialect);
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROP.has(key)) continue;
    if (key === 'properties') {
      // Property names are data, not keywords: clean each property's schema, never the map itself.
      out[key] = isObject(value)
        ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, clean(sub, root, seen, dialect)]))
        : {};
      continue;
    }
    if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      const branches = value.filter((b) => !isNullSchema(b)).map((b) => clean(b, root, seen, dialect));
      if (branches.length === 1) Object.assign(out, branches[0]);
      else if (branches.length > 1) out[key] = branches;
      continue;
    }
    if (key === 'type' && Array.isArray(value)) {
      const types = value.filter((t) => t !== 'null');
      out[key] = types.length === 1 ? (types[0] as JsonValue) : types;
      continue;
    }
    out[key] =
      key === 'enum' || key === 'const' || key === 'default' || key === 'examples'
        ? value
        : clean(value, root, seen, dialect);
  }
  return out;
}

/** A root given only as a union of objects becomes one object whose properties are all optional. */
function mergeRootUnion(schema: JsonObject): JsonObject {
  const union = schema['anyOf'] ?? schema['oneOf'] ?? schema['allOf'];
  if (schema['type'] !== undefined || !Array.isArray(union)) return schema;
  const properties: JsonObject = {};
  for (const branch of union)
    if (isObject(branch) && isObject(branch['properties'])) Object.assign(properties, branch['properties']);
  const { anyOf: _a, oneOf: _o, allOf: _l, ...rest } = schema;
  const required =
    schema['allOf'] !== undefined
      ? union.flatMap((b) => (isObject(b) && Array.isArray(b['required']) ? b['required'] : []))
      : [];
  return { ...rest, type: 'object', properties, ...(required.length > 0 && { required }) };
}

function renameKeys(schema: JsonObject): Map<string, string> {
  const renamed = new Map<string, string>();
  const properties = schema['properties'];
  if (!isObject(properties)) return renamed;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(properties)) {
    let safe = KEY.test(key) ? key : key.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'arg';
    while (safe !== key && (safe in properties || safe in out)) safe = `${safe.slice(0, 62)}_x`;
    if (safe !== key) renamed.set(safe, key);
    out[safe] = value;
  }
  schema['properties'] = out;
  if (renamed.size > 0 && Array.isArray(schema['required'])) {
    const back = new Map([...renamed].map(([safe, original]) => [original, safe]));
    schema['required'] = schema['required'].map((r) => (typeof r === 'string' ? (back.get(r) ?? r) : r));
  }
  return renamed;
}

export function compileSchema(input: JsonValue | undefined, dialect: 'full' | 'nova'): CompileResult {
  if (input !== undefined && !isObject(input))
    return { ok: false, reason: `inputSchema is ${Array.isArray(input) ? 'an array' : typeof input}, not an object` };
  const root = input ?? {};
  let schema = clean(mergeRootUnion(root), root, [], dialect) as JsonObject;
  if (schema['type'] === undefined) schema = { ...schema, type: 'object' };
  if (schema['type'] !== 'object')
    return { ok: false, reason: `its input schema's root type is ${JSON.stringify(schema['type'])}, not object` };
  if (!isObject(schema['properties'])) schema['properties'] = {};
  if (Array.isArray(schema['required'])) {
    const props = schema['properties'] as JsonObject;
    schema['required'] = schema['required'].filter((r) => typeof r === 'string' && r in props);
  }
  const renamed = renameKeys(schema);
  if (dialect === 'nova') {
    // Nova documents only type, properties and required at the top level.
    schema = {
      type: 'object',
      properties: schema['properties'] as JsonObject,
      ...(Array.isArray(schema['required']) && { required: schema['required'] }),
    };
  }
  return { ok: true, compiled: { schema, renamed } };
}

/** The model's arguments with renamed keys put back, for `tools/call`. */
export function restoreArguments(args: JsonObject, renamed: ReadonlyMap<string, string>): JsonObject {
  if (renamed.size === 0) return args;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(args)) out[renamed.get(key) ?? key] = value;
  return out;
}
