/**
 * Generated JSON Schemas for the schema-translation property test (test/bridge/schema-properties.test.ts) and the
 * bench's slowest-compile row (bench/schema.ts): fast-check arbitraries, shrinkable to a minimal failing schema.
 */
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../bridge/index.js';

const LONG = 'filter.created_at.greater_than_or_equal_to_the_given_iso_8601_timestamp';
const name = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'a.b', 'a_b', 'page size', '') },
  { weight: 1, arbitrary: fc.constantFrom(`${LONG}.inclusive`, `${LONG}.exclusive`, `${LONG}.timezone`) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 200 }) },
);
const scalarValue = fc.oneof(
  fc.constantFrom<JsonValue>(null, true, 0, -1, 9007199254740991, 1e300, 'create', 'delete'),
  fc.string({ maxLength: 5 }),
  fc.integer({ min: -50, max: 50 }),
);
const TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'] as const;

function withNull(schema: fc.Arbitrary<JsonObject>): fc.Arbitrary<JsonObject> {
  return fc.tuple(schema, fc.boolean()).map(([s, nullable]) => (nullable ? { anyOf: [s, { type: 'null' }] } : s));
}

const { node } = fc.letrec<{ node: JsonObject; leaf: JsonObject }>((tie) => ({
  leaf: fc.oneof(
    fc.record(
      { type: fc.constant('string'), maxLength: fc.integer({ min: 1, max: 20 }), format: fc.constant('date') },
      { requiredKeys: ['type'] },
    ),
    fc.record(
      {
        type: fc.constantFrom('number', 'integer'),
        minimum: fc.constantFrom(-9007199254740991, -5, 0),
        maximum: fc.constantFrom(9007199254740991, 100, 1e300),
      },
      { requiredKeys: ['type'] },
    ),
    fc.constantFrom<JsonObject>({ type: 'boolean' }, { type: 'null' }, {}, { type: ['null'] }),
    fc.uniqueArray(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 3 }).map((type) => ({ type })),
    scalarValue.map((value) => ({ const: value })),
    fc.uniqueArray(scalarValue, { minLength: 1, maxLength: 4, selector: (v) => JSON.stringify(v) }).map((v) => ({
      enum: v,
    })),
    fc.constantFrom<JsonObject>({ $ref: '#/$defs/A' }, { $ref: '#/$defs/B' }, { $ref: '#/$defs/missing' }),
  ),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc
      .record(
        {
          properties: fc.dictionary(name, tie('node'), { maxKeys: 4 }),
          required: fc.array(name, { maxLength: 3 }),
          additionalProperties: fc.oneof(fc.boolean(), tie('node')),
          patternProperties: fc.constant({ '^x-': { type: 'string' } }),
        },
        { requiredKeys: ['properties'] },
      )
      .map((o) => ({ type: 'object', ...o })),
    fc
      .record({ items: tie('node'), prefixItems: fc.array(tie('node'), { maxLength: 2 }) }, { requiredKeys: ['items'] })
      .map((a) => ({ type: 'array', ...a })),
    fc
      .tuple(fc.constantFrom('anyOf', 'oneOf', 'allOf'), fc.array(tie('node'), { minLength: 1, maxLength: 3 }))
      .map(([kind, branches]) => ({ [kind]: branches })),
    withNull(tie('leaf')),
    fc.record({ not: tie('leaf') }),
    fc.tuple(tie('leaf'), tie('node'), tie('node')).map(
      ([condition, yes, no]) =>
        Object.fromEntries([
          ['if', condition],
          ['then', yes],
          ['else', no],
        ]) as JsonObject,
    ),
    fc
      .tuple(tie('node'), fc.integer({ min: 0, max: 2 }))
      .map(([contains, maxContains]) => ({ type: 'array', contains, maxContains })),
  ),
}));

const objectRoot = fc
  .record(
    {
      properties: fc.dictionary(name, node, { maxKeys: 6 }),
      required: fc.array(name, { maxLength: 3 }),
      additionalProperties: fc.oneof(fc.boolean(), node),
      anyOf: fc.array(
        fc.record({
          required: fc.array(name, { minLength: 1, maxLength: 2 }),
          properties: fc.dictionary(name, node, { maxKeys: 2 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    },
    { requiredKeys: ['properties'] },
  )
  .map((o) => ({ type: 'object', ...o }));
const objectBranch = fc.dictionary(name, node, { maxKeys: 3 }).map((properties) => ({ type: 'object', properties }));

/**
 * Tool input schemas: object roots (mostly), unions of objects without a type, other roots and empty schemas; inside,
 * nested objects and arrays, anyOf/oneOf/allOf with and without null, type arrays, const/enum, recursive and
 * dangling $refs, not/if/contains, patternProperties, and property names that are long, unicode, colliding past 64
 * characters or keys of Object.prototype.
 */
export const schemaArbitrary: fc.Arbitrary<JsonObject> = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: objectRoot },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom('anyOf', 'oneOf', 'allOf'), fc.array(objectBranch, { minLength: 1, maxLength: 3 }))
          .map(([kind, branches]): JsonObject => ({ [kind]: branches })),
      },
      { weight: 1, arbitrary: fc.oneof(node, fc.constant<JsonObject>({})) },
    ),
    fc.option(fc.record({ A: node, B: node }), { nil: undefined }),
  )
  .map(([body, defs]) => (defs ? { ...body, $defs: defs } : body));

/** Hand-made worst cases: references that double at each of 30 levels, 5,000 levels of nesting, 2,000 long keys. */
export function hostileSchemas(): Record<string, JsonObject> {
  const defs: JsonObject = { D30: { type: 'string' } };
  for (let i = 0; i < 30; i++) {
    const next = { $ref: `#/$defs/D${i + 1}` };
    defs[`D${i}`] = { type: 'object', properties: { a: next, b: next } };
  }
  let deep: JsonObject = { type: 'string' };
  for (let i = 0; i < 5_000; i++) deep = { type: 'object', properties: { x: deep } };
  const long = 'k'.repeat(70);
  return {
    'references doubling 30 times': { type: 'object', properties: { root: { $ref: '#/$defs/D0' } }, $defs: defs },
    '5,000 levels of nesting': { type: 'object', properties: { deep } },
    '2,000 keys sharing 70 characters': {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`${long}.${i}`, { type: 'string' }])),
    },
  };
}
