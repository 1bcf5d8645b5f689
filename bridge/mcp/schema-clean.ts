/**
 * One pass over an MCP tool's input schema that leaves a self-contained JSON Schema 2020-12 document: local `$ref`s
 * inlined (a recursive one is cut off below its first level, keeping its type), `$defs` and identifiers removed,
 * draft-04/07 spellings rewritten (`items` arrays, `dependencies`, boolean `exclusiveMaximum`), keyword values the
 * 2020-12 meta-schema rejects dropped, and, for models that reject them, integer literals beyond int32 moved into
 * the description. It only ever widens what the schema accepts, and says where (docs/schema-translation.md). Pure.
 */
import type { JsonObject, JsonValue } from '../converse/types.js';
import { childParameter, fromEntries, isSchemaObject, own, put } from '../converse/schema-walk.js';

/** A change made at one parameter, reported with the tool's name by the caller. */
export interface ParameterChange {
  parameter: string;
  kind: 'narrowed' | 'widened';
  detail: string;
}

/** What the family's schema rules ask of the pass. */
export interface CleanOptions {
  /** Integer literals outside int32 are moved out of the schema (`SchemaRules.rejectsBigIntegers`). */
  bigIntegers: boolean;
}

type Kind = 'schema' | 'schemas' | 'map' | 'count' | 'number' | 'positive' | 'string' | 'strings' | 'boolean';
type DataKind = 'type' | 'array' | 'any' | 'deps';

/** Keywords of JSON Schema 2020-12 (core, applicator, validation, meta-data, format, content) by their value. */
const KEYWORDS: ReadonlyMap<string, Kind | DataKind> = new Map(
  (
    [
      ['map', 'properties patternProperties dependentSchemas'],
      ['schema', 'additionalProperties unevaluatedProperties propertyNames items contains unevaluatedItems'],
      ['schema', 'not if then else contentSchema'],
      ['schemas', 'prefixItems anyOf oneOf allOf'],
      ['type', 'type'],
      ['array', 'enum examples'],
      ['any', 'const default'],
      ['positive', 'multipleOf'],
      ['number', 'maximum exclusiveMaximum minimum exclusiveMinimum'],
      ['count', 'maxLength minLength maxItems minItems maxContains minContains maxProperties minProperties'],
      ['string', 'pattern title description format contentEncoding contentMediaType'],
      ['boolean', 'uniqueItems deprecated readOnly writeOnly'],
      ['strings', 'required'],
      ['deps', 'dependentRequired'],
    ] as const
  ).flatMap(([kind, names]) => names.split(' ').map((name) => [name, kind] as const)),
);

/** Identifiers and definitions: meaningless once every reference is inlined. */
const DROPPED = new Set([
  '$schema',
  '$id',
  '$anchor',
  '$dynamicAnchor',
  '$dynamicRef',
  '$vocabulary',
  '$comment',
  '$defs',
  'definitions',
]);
const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']);
const INT32 = 2 ** 31 - 1;
/** Nodes one schema may grow to while `$ref`s are inlined; past it, references are cut off like recursive ones. */
const NODE_BUDGET = 2_000;
/** Nesting below this many levels is not checked (no model reads it, and it would exhaust the stack). */
const MAX_DEPTH = 64;

/** An integer the JSON text spells without exponent and outside int32: Anthropic's `int too big to convert`. */
const isBigInteger = (v: JsonValue): boolean =>
  typeof v === 'number' && Number.isInteger(v) && Math.abs(v) > INT32 && Math.abs(v) < 1e21;

function containsBigInteger(v: JsonValue): boolean {
  if (Array.isArray(v)) return v.some(containsBigInteger);
  if (isSchemaObject(v)) return Object.values(v).some(containsBigInteger);
  return isBigInteger(v);
}

const isCount = (v: JsonValue): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const uniqueStrings = (v: JsonValue[]): string[] => [...new Set(v.filter((s): s is string => typeof s === 'string'))];

function refTarget(ref: string, root: JsonObject): JsonValue | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: JsonValue | undefined = root;
  for (const raw of ref.slice(2).split('/')) {
    let part = raw.includes('~') ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw;
    if (part.includes('%')) {
      try {
        part = decodeURIComponent(part);
      } catch {
        // Not percent-encoded: the name as written.
      }
    }
    node = isSchemaObject(node) ? own(node, part) : Array.isArray(node) ? node[Number(part)] : undefined;
  }
  return node;
}

const refName = (ref: string): string => decodeURIComponent(ref.split('/').pop() || 'schema');

/** The description of `node` with `note` added. */
export function withNote(node: JsonObject, note: string): JsonObject {
  const description = typeof node['description'] === 'string' ? node['description'].trim() : '';
  return { ...node, description: description === '' ? note : `${description} (${note})` };
}

/**
 * One compile's pass: `clean` returns the translated node; `changes` collects every widening by parameter. One
 * instance per schema (it tracks the references being inlined and the size reached).
 */
export class SchemaCleaner {
  readonly changes: ParameterChange[] = [];
  private readonly expanding: string[] = [];
  private nodes = 0;
  /** Every widening, also repeated ones: tells whether a subtree changed. */
  private edits = 0;
  private reported: Set<string> | undefined;
  private depth = 0;

  constructor(
    private readonly root: JsonObject,
    private readonly options: CleanOptions,
  ) {}

  private widened(parameter: string, detail: string): void {
    this.edits++;
    const key = `${parameter}\u0000${detail}`;
    this.reported ??= new Set();
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.changes.push({ parameter, kind: 'widened', detail });
  }

  /** `node` as a clean subschema describing `parameter`. */
  clean(node: JsonValue, parameter: string): JsonObject {
    if (this.depth >= MAX_DEPTH) {
      this.widened(parameter, `nested more than ${MAX_DEPTH} levels deep: below this level nothing is checked`);
      return {};
    }
    this.depth++;
    const out = this.node(node, parameter);
    this.depth--;
    return out;
  }

  private node(node: JsonValue, parameter: string): JsonObject {
    this.nodes++;
    if (node === true || node === undefined) return {};
    if (node === false) return { not: {} };
    if (!isSchemaObject(node)) {
      this.widened(parameter, `a schema given as ${JSON.stringify(node)} was dropped (it is not a JSON Schema)`);
      return {};
    }
    const ref = node['$ref'];
    if (typeof ref === 'string') return this.inline(node, ref, parameter);
    const out: JsonObject = {};
    const notes: string[] = [];
    let edited: Set<string> | undefined;
    for (const key of Object.keys(node)) {
      const value = node[key] as JsonValue;
      if (DROPPED.has(key)) continue;
      const before = this.edits;
      const kind = KEYWORDS.get(key);
      if (kind === undefined) this.legacy(key, value, node, out, parameter, notes);
      else this.keyword(key, kind, value, out, parameter, notes);
      if (this.edits > before) {
        edited ??= new Set();
        edited.add(key);
      }
    }
    draft04Bounds(node, out);
    if (edited) this.keepWider(out, edited, parameter);
    return notes.length > 0 ? withNote(out, notes.join('; ')) : out;
  }

  /**
   * Where a subschema now accepts more, keywords that turn "more" into "less" go: `not`, `if` (with then/else),
   * `oneOf` (two branches may match now: it becomes anyOf), `maxContains` and `unevaluated*`.
   */
  private keepWider(out: JsonObject, edited: ReadonlySet<string>, parameter: string): void {
    const drop = (keys: string[], why: string): void => {
      if (!keys.some((k) => k in out)) return;
      for (const k of keys) delete out[k];
      this.widened(parameter, `${keys.filter((k) => k !== 'then' && k !== 'else').join(', ')} dropped: ${why}`);
    };
    if (edited.has('not')) drop(['not'], 'the schema it negates had to change');
    if (edited.has('if')) drop(['if', 'then', 'else'], 'its condition had to change');
    if (edited.has('oneOf') && Array.isArray(out['oneOf'])) {
      if (!Array.isArray(out['anyOf'])) out['anyOf'] = out['oneOf'];
      delete out['oneOf'];
      this.widened(parameter, 'oneOf became anyOf: a changed branch may overlap another');
    }
    if (edited.has('contains')) drop(['maxContains'], 'what contains matches had to change');
    drop(['unevaluatedProperties', 'unevaluatedItems'], 'what its subschemas evaluate had to change');
  }

  private inline(node: JsonObject, ref: string, parameter: string): JsonObject {
    const { $ref: _, ...siblings } = node;
    const target = refTarget(ref, this.root);
    if (target === undefined) {
      this.widened(parameter, `its reference ${ref} cannot be resolved and is not checked`);
      return this.clean(siblings, parameter);
    }
    if (this.expanding.includes(ref) || this.nodes > NODE_BUDGET) {
      // Cut off: keep the definition's own type, so a recursive array or object still accepts every value.
      const type = isSchemaObject(target) ? target['type'] : undefined;
      const keep: JsonObject = typeof type === 'string' || Array.isArray(type) ? { type } : {};
      const why = this.expanding.includes(ref) ? 'recursive' : 'too large to inline';
      this.widened(parameter, `${refName(ref)} is ${why}: below this level its contents are not checked`);
      return withNote(this.clean({ ...keep, ...siblings }, parameter), `${why} ${refName(ref)}`);
    }
    this.expanding.push(ref);
    const merged = isSchemaObject(target) ? { ...target, ...siblings } : target === false ? false : siblings;
    const out = this.clean(merged, parameter);
    this.expanding.pop();
    return out;
  }

  private keyword(
    key: string,
    kind: Kind | DataKind,
    value: JsonValue,
    out: JsonObject,
    parameter: string,
    notes: string[],
  ): void {
    const data = kind !== 'schema' && kind !== 'schemas' && kind !== 'map';
    if (data && this.options.bigIntegers && typeof value !== 'string' && containsBigInteger(value)) {
      notes.push(`${key}: ${JSON.stringify(value).slice(0, 200)}`);
      this.widened(parameter, `${key} moved into its description (Claude rejects integers beyond int32)`);
      return;
    }
    if (key === 'items' && Array.isArray(value)) {
      // Draft-07 tuple: 2020-12 spells it prefixItems (and draft-07's additionalItems becomes items).
      out['prefixItems'] = value.map((v) => this.clean(v, `${parameter}[]`));
      return;
    }
    const valid = this.value(key, kind, value, parameter);
    if (valid !== undefined) out[key] = valid;
    // A boolean bound is draft-04's exclusive flag (see draft04Bounds), not a value that was lost.
    else if (!(kind === 'number' && typeof value === 'boolean'))
      this.widened(
        parameter,
        `${key} ${JSON.stringify(value).slice(0, 80)} was dropped: it is not valid JSON Schema 2020-12`,
      );
  }

  /** The keyword's value as 2020-12 allows it, or undefined when it cannot be one. */
  private value(key: string, kind: Kind | DataKind, value: JsonValue, parameter: string): JsonValue | undefined {
    switch (kind) {
      case 'schema':
        return this.clean(value, childParameter(parameter, key));
      case 'schemas':
        if (!Array.isArray(value) || value.length === 0) return undefined;
        return value.map((v) => this.clean(v, childParameter(parameter, key)));
      case 'map': {
        if (!isSchemaObject(value)) return undefined;
        const map: JsonObject = {};
        for (const name of Object.keys(value))
          put(map, name, this.clean(value[name] as JsonValue, childParameter(parameter, key, name)));
        return map;
      }
      case 'type': {
        if (typeof value === 'string') return TYPES.has(value) ? value : undefined;
        // `any` (draft-03) or an unknown name: the type goes unchecked rather than refusing values.
        const types = Array.isArray(value) ? uniqueStrings(value) : [value];
        const valid = types.filter((t): t is string => typeof t === 'string' && TYPES.has(t));
        if (valid.length !== types.length || valid.length === 0) return undefined;
        return valid.length === 1 ? (valid[0] as string) : valid;
      }
      case 'count':
        return isCount(value) ? value : undefined;
      case 'number':
        return typeof value === 'number' ? value : undefined;
      case 'positive':
        return typeof value === 'number' && value > 0 ? value : undefined;
      case 'string':
        return typeof value === 'string' ? value : undefined;
      case 'boolean':
        return typeof value === 'boolean' ? value : undefined;
      case 'strings':
        // draft-03 `required: true` has no 2020-12 form at this level.
        return Array.isArray(value) ? uniqueStrings(value) : undefined;
      case 'array':
        return Array.isArray(value) ? value : undefined;
      case 'deps':
        if (!isSchemaObject(value)) return undefined;
        return fromEntries(
          Object.keys(value).map((name) => {
            const v = value[name];
            return [name, Array.isArray(v) ? uniqueStrings(v) : []];
          }),
        );
      case 'any':
        return value;
    }
  }

  /** Keywords outside 2020-12: draft-04/07 spellings are rewritten, anything else passes as it is. */
  private legacy(
    key: string,
    value: JsonValue,
    node: JsonObject,
    out: JsonObject,
    parameter: string,
    notes: string[],
  ): void {
    if (key === 'additionalItems') {
      // Without a tuple `items` it never applied.
      if (Array.isArray(node['items'])) out['items'] = this.clean(value, `${parameter}[]`);
      return;
    }
    if (key === 'dependencies' && isSchemaObject(value)) {
      for (const name of Object.keys(value)) {
        const v = value[name] as JsonValue;
        const target = Array.isArray(v) ? 'dependentRequired' : 'dependentSchemas';
        const map = (isSchemaObject(out[target]) ? out[target] : {}) as JsonObject;
        out[target] = fromEntries([
          ...Object.entries(map),
          [name, Array.isArray(v) ? uniqueStrings(v) : this.clean(v, parameter)],
        ]);
      }
      return;
    }
    if (this.options.bigIntegers && containsBigInteger(value)) {
      notes.push(`${key}: ${JSON.stringify(value).slice(0, 200)}`);
      this.widened(parameter, `${key} moved into its description (Claude rejects integers beyond int32)`);
      return;
    }
    out[key] = value;
  }
}

/** Draft-04's boolean `exclusiveMaximum`/`exclusiveMinimum` turn their bound exclusive. */
function draft04Bounds(node: JsonObject, out: JsonObject): void {
  if (node['exclusiveMaximum'] === true && typeof out['maximum'] === 'number') {
    out['exclusiveMaximum'] = out['maximum'];
    delete out['maximum'];
  }
  if (node['exclusiveMinimum'] === true && typeof out['minimum'] === 'number') {
    out['exclusiveMinimum'] = out['minimum'];
    delete out['minimum'];
  }
}
