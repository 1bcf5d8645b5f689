/**
 * MCP `inputSchema` → the schema one model family accepts, changed only where that family's rules force it
 * (`SchemaRules` in the capability table; every rule and its evidence: docs/schema-translation.md). The result
 * accepts every input the tool accepts, except where a change says otherwise: `$ref`s inlined (cycle-safe), root
 * combinators folded for families that reject them, a root that is an object, property keys outside Bedrock's
 * pattern renamed (the reverse map is applied to the model's arguments), Nova's root dialect. Pure.
 */
import type { SchemaRules } from '../converse/capabilities.js';
import type { JsonObject, JsonValue } from '../converse/types.js';
import { fromEntries, isSchemaObject, own } from '../converse/schema-walk.js';
import { SchemaCleaner, type ParameterChange } from './schema-clean.js';
import { foldRootCombinators, hasRootCombinators } from './schema-merge.js';

export type { ParameterChange } from './schema-clean.js';

/** A tool's input schema as one model family receives it, and how it maps back. */
export interface CompiledSchema {
  schema: JsonObject;
  /** Renamed top-level property → the tool's own name. */
  renamed: Map<string, string>;
  /** How the schema differs from the tool's, by parameter. */
  changes: ParameterChange[];
  /** What the schema could not say (root alternatives), for the tool's description. */
  note?: string;
}

/** The compiled schema, or why the tool cannot be offered (its root cannot be an object). */
export type CompileResult = { ok: true; compiled: CompiledSchema } | { ok: false; reason: string };

const KEY = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Converse-safe names for the top-level keys: valid keys stay, others are cleaned and, on a collision, get the
 * first free `_2`, `_3`, … suffix within 64 characters. Terminates for any number of colliding keys; the same
 * keys always get the same names.
 */
function safeNames(keys: readonly string[], mentioned: ReadonlySet<string>): Map<string, string> {
  const used = new Set([...keys.filter((k) => KEY.test(k)), ...mentioned]);
  const names = new Map<string, string>();
  /** The last suffix tried per cleaned name: 2,000 colliding keys cost 2,000 tries, not 2 million. */
  const next = new Map<string, number>();
  for (const key of keys) {
    if (KEY.test(key)) {
      names.set(key, key);
      continue;
    }
    const base = key.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'arg';
    let name = base;
    let n = next.get(base) ?? 2;
    for (; used.has(name); n++) name = `${base.slice(0, 64 - `_${n}`.length)}_${n}`;
    next.set(base, n);
    used.add(name);
    names.set(key, name);
  }
  return names;
}

/** Top-level names renamed in `node` and in the root combinators it keeps (which speak of the same keys). */
function applyNames(node: JsonObject, names: ReadonlyMap<string, string>): JsonObject {
  const out: JsonObject = { ...node };
  const rename = (key: string): string => names.get(key) ?? key;
  for (const key of ['properties', 'dependentRequired', 'dependentSchemas'] as const) {
    const map = node[key];
    if (isSchemaObject(map)) out[key] = fromEntries(Object.keys(map).map((k) => [rename(k), map[k] as JsonValue]));
  }
  const required = node['required'];
  if (Array.isArray(required)) out['required'] = required.map((r) => (typeof r === 'string' ? rename(r) : r));
  // A pattern for the tool's own names may refuse the new ones; the names are in properties anyway.
  if ('propertyNames' in out) delete out['propertyNames'];
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = node[key];
    if (Array.isArray(branches)) out[key] = branches.map((b) => (isSchemaObject(b) ? applyNames(b, names) : b));
  }
  return out;
}

/** Top-level names the schema speaks of besides its properties (required, also in root combinators). */
function mentionedNames(node: JsonObject, into = new Set<string>()): Set<string> {
  for (const r of Array.isArray(node['required']) ? node['required'] : []) if (typeof r === 'string') into.add(r);
  const dependent = node['dependentRequired'];
  if (isSchemaObject(dependent)) for (const k of Object.keys(dependent)) into.add(k);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = node[key];
    if (Array.isArray(branches)) for (const b of branches) if (isSchemaObject(b)) mentionedNames(b, into);
  }
  return into;
}

function renameKeys(schema: JsonObject): { schema: JsonObject; renamed: Map<string, string> } {
  const renamed = new Map<string, string>();
  const keys = Object.keys(schema['properties'] as JsonObject);
  if (keys.every((k) => KEY.test(k))) return { schema, renamed };
  const names = safeNames(keys, mentionedNames(schema));
  for (const [key, name] of names) if (key !== name) renamed.set(name, key);
  return { schema: applyNames(schema, names), renamed };
}

function rootType(type: JsonValue | undefined): 'object' | { reason: string } {
  if (type === undefined || type === 'object' || (Array.isArray(type) && type.includes('object'))) return 'object';
  return { reason: `its input schema's root type is ${JSON.stringify(type)}, not object` };
}

/** Compiles one tool's input schema for a model family's schema rules. */
export function compileSchema(input: JsonValue | undefined, rules: SchemaRules): CompileResult {
  if (input !== undefined && !isSchemaObject(input))
    return { ok: false, reason: `inputSchema is ${Array.isArray(input) ? 'an array' : typeof input}, not an object` };
  const root = input ?? {};
  const cleaner = new SchemaCleaner(root, { bigIntegers: rules.rejectsBigIntegers });
  let schema = cleaner.clean(root, '');
  const type = rootType(schema['type']);
  if (type !== 'object') return { ok: false, reason: type.reason };
  const changes = cleaner.changes;
  let note: string | undefined;
  if (hasRootCombinators(schema)) {
    const folded = foldRootCombinators(schema);
    note = folded.note;
    if (rules.rejectsRootCombinators || rules.dialect === 'nova') {
      schema = folded.schema;
      changes.unshift({
        parameter: '',
        kind: 'widened',
        detail:
          'its top-level anyOf/oneOf/allOf became one object ' +
          `schema${note ? ', the alternatives are in the tool description' : ''} (this model rejects ` +
          'them at the top level)',
      });
    } else {
      // Kept as they are (exact); the folded properties show every parameter to models that read only those.
      const { anyOf, oneOf, allOf } = schema;
      schema = { ...folded.schema, ...(anyOf && { anyOf }), ...(oneOf && { oneOf }), ...(allOf && { allOf }) };
      note = undefined;
    }
  }
  schema['type'] = 'object';
  const properties = isSchemaObject(schema['properties']) ? schema['properties'] : {};
  // A required name without a schema is still required: it gets an open one, so the root lists it.
  const missing = (Array.isArray(schema['required']) ? schema['required'] : []).filter(
    (r): r is string => typeof r === 'string' && own(properties, r) === undefined,
  );
  schema['properties'] =
    missing.length > 0
      ? fromEntries([...Object.entries(properties), ...missing.map((r) => [r, {}] as const)])
      : properties;
  const named = renameKeys(schema);
  schema = named.schema;
  const { renamed } = named;
  if (renamed.size > 0 && isSchemaObject(root['propertyNames']))
    changes.push({ parameter: '', kind: 'widened', detail: 'top-level propertyNames dropped (keys were renamed)' });
  if (rules.dialect === 'nova') {
    const dropped = Object.keys(schema).filter(
      (k) => !['type', 'properties', 'required', 'description', 'title'].includes(k),
    );
    if (dropped.length > 0)
      changes.push({
        parameter: '',
        kind: 'widened',
        detail: `top-level ${dropped.join(', ')} dropped (Nova reads only type, properties and required there)`,
      });
    schema = {
      type: 'object',
      properties: schema['properties'] as JsonObject,
      ...(Array.isArray(schema['required']) && schema['required'].length > 0 && { required: schema['required'] }),
    };
  }
  return { ok: true, compiled: { schema, renamed, changes, ...(note && { note }) } };
}

/** The model's arguments with renamed keys put back, for `tools/call`. */
export function restoreArguments(args: JsonObject, renamed: ReadonlyMap<string, string>): JsonObject {
  if (renamed.size === 0) return args;
  return fromEntries(Object.keys(args).map((key) => [renamed.get(key) ?? key, args[key] as JsonValue]));
}
