/**
 * Rules for `toolConfig.tools` (docs/bedrock-evidence.md, "Bedrock's own rules" and "Per-model rules"): Bedrock's
 * own checks of every input schema, then what the model behind it rejects, passed through as `The model returned
 * the following errors: …` — Anthropic's schema validation, Nova's root-key check. Keywords are found where they
 * are keywords (a property *named* `definitions` is a property, not a keyword).
 */
import type { ModelTraits } from './model-traits.js';
import { arr, isObj, type Json, type Obj, type WireRequest } from './wire-request.js';

const PASSTHROUGH = 'The model returned the following errors: ';

/** The tool specs with their 0-based index in `toolConfig.tools`. */
function specs(body: WireRequest): [number, Obj][] {
  const tools = isObj(body.toolConfig) ? arr(body.toolConfig['tools']) : [];
  return tools.flatMap((t, i) =>
    isObj(t) && isObj(t['toolSpec']) ? [[i, t['toolSpec'] as Obj] as [number, Obj]] : [],
  );
}

const schemaOf = (spec: Obj): Json | undefined =>
  isObj(spec['inputSchema']) ? spec['inputSchema']['json'] : undefined;

/** Bedrock's checks of each input schema's root, first failure only. */
export function toolDefinitionError(body: WireRequest): string | undefined {
  for (const [i, spec] of specs(body)) {
    const schema = schemaOf(spec);
    if (!isObj(schema)) {
      return (
        `The format of the value at toolConfig.tools.${i}.toolSpec.inputSchema.json is ` +
        'invalid. Provide a json object for the field and try again.'
      );
    }
    if (schema['type'] !== 'object') {
      return `The value at toolConfig.tools.${i}.toolSpec.inputSchema.json.type must be one of the following: object.`;
    }
    if ('properties' in schema && !isObj(schema['properties'])) {
      const found = schema['properties'] === null ? 'null' : typeof schema['properties'];
      return (
        `The json schema definition at toolConfig.tools.${i}.toolSpec.inputSchema is invalid. Fix the ` +
        `following errors and try again: $.properties: ${found} found, object expected`
      );
    }
  }
  return undefined;
}

/** Keywords whose value is a map of subschemas, a subschema, or a list of subschemas (JSON Schema 2020-12). */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_VALUES = [
  'items',
  'additionalProperties',
  'additionalItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
];
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items'];

/** Every subschema of a schema, the root first: only where keywords are keywords. */
export function* subschemas(schema: Json): Generator<Obj> {
  if (!isObj(schema)) return;
  yield schema;
  for (const key of SCHEMA_MAPS) {
    const map = schema[key];
    if (isObj(map)) for (const value of Object.values(map)) yield* subschemas(value);
  }
  for (const key of SCHEMA_VALUES) if (isObj(schema[key])) yield* subschemas(schema[key]);
  for (const key of SCHEMA_LISTS) for (const value of arr(schema[key])) yield* subschemas(value);
}

/** Whether a local `$ref` (`#`, `#/$defs/A`, `#/properties/a`) points at something in `root`. */
function resolves(root: Obj, ref: string): boolean {
  if (!ref.startsWith('#')) return true; // Remote references: nothing on record about them.
  if (ref === '#' || ref === '#/') return true;
  let node: Json | undefined = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = Array.isArray(node) ? node[Number(key)] : isObj(node) ? node[key] : undefined;
    if (node === undefined) return false;
  }
  return true;
}

function duplicateName(body: WireRequest): string | undefined {
  const names = specs(body).map(([, spec]) => String(spec['name']));
  return names.find((name, index) => names.indexOf(name) !== index);
}

/** What the model behind Bedrock rejects in the tool definitions. */
export function modelToolError(body: WireRequest, traits: ModelTraits): string | undefined {
  const tools = isObj(body.toolConfig) ? arr(body.toolConfig['tools']) : [];
  if (traits.novaSchemas) {
    for (let i = 0; i < tools.length; i++) {
      const tool = tools[i] as Obj;
      if (isObj(tool) && 'cachePoint' in tool) {
        return (
          `${PASSTHROUGH}Malformed input request: #/toolConfig/tools/${i}: extraneous key ` +
          '[cachePoint] is not permitted, please reformat your input and try again.'
        );
      }
    }
    for (const [i, spec] of specs(body)) {
      const schema = schemaOf(spec) as Obj;
      const key = ['$defs', 'definitions'].find((k) => k in schema);
      if (key) {
        return (
          `${PASSTHROUGH}Malformed input request: #/toolConfig/tools/${i}/toolSpec/inputSchema/json: ` +
          `extraneous key [${key}] is not permitted, please reformat your input and try again.`
        );
      }
    }
  }
  if (traits.family === 'anthropic') {
    if (duplicateName(body) !== undefined) return `${PASSTHROUGH}tools: Tool names must be unique.`;
    for (const [i, spec] of specs(body)) {
      const root = schemaOf(spec) as Obj;
      for (const schema of subschemas(root)) {
        const ref = schema['$ref'];
        if (typeof ref === 'string' && !resolves(root, ref)) {
          return `${PASSTHROUGH}tools.${i}.custom: Invalid schema: Reference to non-existent definition: ${ref}`;
        }
      }
    }
  } else {
    // Wording not on record for other families (catalogue); the rule is the same.
    const duplicate = duplicateName(body);
    if (duplicate !== undefined)
      return `The toolConfig field contains more than one tool named ${duplicate}. Tool names must be unique.`;
  }
  return undefined;
}
