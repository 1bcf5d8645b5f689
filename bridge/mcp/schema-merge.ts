/**
 * Root `anyOf`/`oneOf`/`allOf` folded into one object schema that accepts every object the root accepted: `allOf`
 * branches are conjoined, `anyOf`/`oneOf` branches united property by property (same-named properties become the
 * union of their schemas, `const`s an `enum`, never one branch's), and what one object cannot say is returned as
 * a note for the tool's description (docs/schema-translation.md, "Root combinators"). Input is clean (see
 * schema-clean.ts). Pure.
 */
import type { JsonObject, JsonValue } from '../converse/types.js';
import { fromEntries, isSchemaObject, own } from '../converse/schema-walk.js';

const COMBINATORS = ['allOf', 'anyOf', 'oneOf'] as const;
/** Combinators nested at the root of branches are folded this deep; deeper ones are dropped (accepting more). */
const MAX_DEPTH = 8;

const same = (a: JsonValue | undefined, b: JsonValue | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);
const isAnything = (v: JsonValue | undefined): boolean =>
  isSchemaObject(v) && Object.keys(v).every((k) => k === 'description' || k === 'title');
const short = (v: JsonValue, max: number): string => {
  const text = JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** Whether a root has combinators to fold. */
export function hasRootCombinators(schema: JsonObject): boolean {
  return COMBINATORS.some((k) => Array.isArray(schema[k]));
}

function mapOf(node: JsonObject, key: string): JsonObject {
  const value = node[key];
  return isSchemaObject(value) ? value : {};
}

const stringsOf = (v: JsonValue | undefined): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];

function mergeMaps(a: JsonObject, b: JsonObject): JsonObject {
  const out = new Map(Object.entries(a));
  for (const name of Object.keys(b)) {
    const left = own(a, name);
    const right = b[name] as JsonValue;
    out.set(name, left === undefined || isAnything(left) ? right : same(left, right) ? left : { allOf: [left, right] });
  }
  return fromEntries(out);
}

/** Both `a` and `b`: exact where 2020-12 can say it at the root, otherwise `a`'s keyword is kept (accepting more). */
function conjoin(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = { ...a };
  for (const key of Object.keys(b)) {
    const right = b[key] as JsonValue;
    const left = out[key];
    if (left === undefined) {
      out[key] = right;
    } else if (key === 'properties' || key === 'patternProperties') {
      out[key] = mergeMaps(mapOf(out, key), mapOf(b, key));
    } else if (key === 'required') {
      out[key] = [...new Set([...stringsOf(left), ...stringsOf(right)])];
    } else if (key === 'additionalProperties') {
      out[key] = left === false || right === false ? false : same(left, right) ? left : { allOf: [left, right] };
    } else if (key === 'minProperties' && typeof left === 'number' && typeof right === 'number') {
      out[key] = Math.max(left, right);
    } else if (key === 'maxProperties' && typeof left === 'number' && typeof right === 'number') {
      out[key] = Math.min(left, right);
    } else if (key === 'description' && typeof left === 'string' && typeof right === 'string' && left !== right) {
      out[key] = `${left} ${right}`;
    }
  }
  return out;
}

/** The union of property schemas: `{}` when any accepts everything, consts as an enum, types as a type list. */
function unite(schemas: JsonObject[]): JsonObject {
  const distinct = schemas.filter((s, i) => schemas.findIndex((t) => same(s, t)) === i);
  if (distinct.length === 1) return distinct[0] as JsonObject;
  const described = distinct.find((s) => typeof s['description'] === 'string')?.['description'];
  const note: JsonObject = described === undefined ? {} : { description: described };
  if (distinct.some(isAnything)) return note;
  const keysWithin = (s: JsonObject, allowed: string[]): boolean => Object.keys(s).every((k) => allowed.includes(k));
  const types = [...new Set(distinct.flatMap((s) => (Array.isArray(s['type']) ? s['type'] : [s['type']])))];
  if (
    distinct.every(
      (s) => keysWithin(s, ['const', 'enum', 'type', 'description', 'title']) && ('const' in s || 'enum' in s),
    )
  ) {
    const values = distinct.flatMap((s) => (Array.isArray(s['enum']) ? s['enum'] : [s['const'] as JsonValue]));
    const unique = values.filter((v, i) => values.findIndex((w) => same(v, w)) === i);
    const typed: JsonObject =
      distinct.every((s) => s['type'] !== undefined) && types.length === 1 ? { type: types[0] as JsonValue } : {};
    return { ...typed, enum: unique, ...note };
  }
  if (distinct.every((s) => keysWithin(s, ['type', 'description', 'title']) && s['type'] !== undefined)) {
    return { type: types.length === 1 ? (types[0] as JsonValue) : (types as JsonValue), ...note };
  }
  return { anyOf: distinct };
}

/** Whether a branch can accept an object at all. */
function acceptsObjects(branch: JsonObject): boolean {
  const type = branch['type'];
  if (isSchemaObject(branch['not']) && Object.keys(branch['not']).length === 0) return false;
  return type === undefined || type === 'object' || (Array.isArray(type) && type.includes('object'));
}

/** What a branch says about a property it may not list: its own schema, its catch-all, or nothing (forbidden). */
function contribution(branch: JsonObject, name: string): JsonObject | undefined {
  const listed = own(mapOf(branch, 'properties'), name);
  if (listed !== undefined) return listed as JsonObject;
  for (const pattern of Object.keys(mapOf(branch, 'patternProperties'))) {
    try {
      if (new RegExp(pattern, 'u').test(name)) return {};
    } catch {
      return {};
    }
  }
  const rest = branch['additionalProperties'];
  if (rest === false) return undefined;
  return isSchemaObject(rest) ? rest : {};
}

/** One object schema accepting every object that any of `branches` accepts. */
function union(branches: JsonObject[]): JsonObject {
  const objects = branches.filter(acceptsObjects);
  if (objects.length === 0) return {};
  const names = [...new Set(objects.flatMap((b) => Object.keys(mapOf(b, 'properties'))))];
  const properties = fromEntries(
    names.map((name) => [
      name,
      unite(objects.flatMap((b) => contribution(b, name) ?? []).map((s) => (isSchemaObject(s) ? s : {}))),
    ]),
  );
  const out: JsonObject = { type: 'object', properties };
  const required = stringsOf(objects[0]?.['required']).filter((r) =>
    objects.every((b) => stringsOf(b['required']).includes(r)),
  );
  if (required.length > 0) out['required'] = required;
  const closed = objects.every((b) => b['additionalProperties'] === false && b['patternProperties'] === undefined);
  if (closed) out['additionalProperties'] = false;
  return out;
}

/** `node` with its combinators folded in, and the notes saying what the fold could not express. */
function fold(node: JsonObject, depth: number, notes: string[]): JsonObject {
  const { allOf, anyOf, oneOf, ...rest } = node;
  let out: JsonObject = rest;
  const branches = (v: JsonValue | undefined): JsonObject[] =>
    (Array.isArray(v) ? v : []).map((b) =>
      depth >= MAX_DEPTH ? {} : fold(isSchemaObject(b) ? b : {}, depth + 1, notes),
    );
  for (const branch of branches(allOf)) out = conjoin(out, branch);
  for (const [list, kind] of [
    [anyOf, 'at least one'],
    [oneOf, 'exactly one'],
  ] as const) {
    if (!Array.isArray(list)) continue;
    out = conjoin(out, union(branches(list)));
    notes.push(`The input must match ${kind} of: ${list.map((b) => short(b, 300)).join(' | ')}`);
  }
  return out;
}

/**
 * The root with `anyOf`/`oneOf`/`allOf` folded into it, and a note with the alternatives for the tool's
 * description (undefined when the fold is exact).
 */
export function foldRootCombinators(schema: JsonObject): { schema: JsonObject; note?: string } {
  const notes: string[] = [];
  const folded = fold(schema, 0, notes);
  return notes.length > 0 ? { schema: folded, note: notes.join('. ') } : { schema: folded };
}
