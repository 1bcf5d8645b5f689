/**
 * The promise of docs/schema-translation.md, checked on generated schemas (fast-check, fixed seed): for every model
 * family of the capability table, compiling terminates with an outcome; the result is valid JSON Schema 2020-12
 * (ajv's meta-schema); the request carrying it passes the emulator's validation for that family; every input the
 * original accepts (samples generated from the original by json-schema-faker, kept only when ajv accepts them
 * against the original) is accepted by what the request sends, unless a reported `narrowed` change names that
 * parameter. The seed and the number of schemas are printed; a failure prints the shrunk (minimal) schema.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { generateSync } from 'json-schema-faker';
import { expect, it } from 'vitest';
import { capabilitiesFor, capUnionParameters, compileSchema, toWireRequest } from '../../bridge/entries/converse.js';
import type { JsonObject, JsonValue, ModelCapabilities, SchemaChange, Tool } from '../../bridge/index.js';
import { traitsFor } from '../../src/emulator/model-traits.js';
import { validateRequest, type WireRequest } from '../../src/emulator/validate.js';
import { schemaArbitrary } from '../../bench/schema-arbitrary.js';
import { FAMILY_MODELS } from './families.js';

const SEED = Number(process.env['SCHEMA_SEED'] ?? 15_2026);
const RUNS = Number(process.env['SCHEMA_RUNS'] ?? 5_000);
/** Copies of each schema in one request. */
const COPIES = 4;

// ownProperties: keys such as `constructor` are data (docs/schema-translation.md).
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true, ownProperties: true });

/** Families grouped by schema rules: each group compiles once, and every model of it validates the request. */
const GROUPS = (() => {
  const groups = new Map<string, { caps: ModelCapabilities; models: string[] }>();
  for (const modelId of FAMILY_MODELS) {
    const caps = capabilitiesFor(modelId);
    const key = `${JSON.stringify(caps.schemaRules)}:${caps.toolUse}`;
    const group = groups.get(key) ?? { caps, models: [] };
    group.models.push(modelId);
    groups.set(key, group);
  }
  return [...groups.values()];
})();

// ---------------------------------------------------------------- checks

/** Inputs the original accepts: generated from it, kept only when ajv agrees. Objects only (a tool input is one). */
function samples(schema: JsonObject, seed: number): JsonObject[] {
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch {
    return []; // ajv cannot compile it (an unresolvable $ref): nothing to compare against.
  }
  // A reference that loops without descending (A = anyOf [A, …]) has no answer: ajv recurses forever on it.
  const accepted = (value: unknown): boolean => {
    try {
      return typeof value === 'object' && value !== null && !Array.isArray(value) && validate(value) === true;
    } catch {
      return false;
    }
  };
  const found: JsonObject[] = [];
  for (let i = 0; i < 3; i++) {
    let value: unknown;
    try {
      value = generateSync(schema as never, { seed: seed + i, maxDepth: 4, refDepthMax: 2, maxDefaultItems: 2 });
    } catch {
      continue;
    }
    if (accepted(value)) found.push(value as JsonObject);
  }
  if (accepted({})) found.push({});
  return found;
}

const splitPath = (path: string): string[] => path.split(/[./]/).filter((s) => s !== '');
const parameterTokens = (parameter: string): string[] => splitPath(parameter.replace(/\[\]/g, '.[]'));

/** Whether a narrowing at `parameter` explains an error at `instancePath`. */
function covers(parameter: string, instancePath: string): boolean {
  const want = parameterTokens(parameter);
  const got = instancePath
    .split('/')
    .slice(1)
    .flatMap((s) => splitPath(s.replace(/~1/g, '/').replace(/~0/g, '~')));
  return (
    want.length <= got.length &&
    want.every((token, i) => token === '*' || token === got[i] || (token === '[]' && /^\d+$/.test(got[i] ?? '')))
  );
}

let cases = 0;

function check(schema: JsonObject, seed: number): void {
  cases++;
  const inputs = samples(schema, seed);
  // Groups often send the same schema: each distinct one is checked and compiled by ajv once.
  const validators = new Map<string, ValidateFunction>();
  for (const { caps, models } of GROUPS) {
    const result = compileSchema(schema, caps.schemaRules);
    if (!result.ok) {
      // Left out only when its root cannot be an object: then no object input was accepted by the original.
      expect(result.reason).toMatch(/root type|not an object/);
      expect(inputs).toEqual([]);
      continue;
    }
    const { compiled } = result;
    expect(ajv.validateSchema(compiled.schema), JSON.stringify(ajv.errors)).toBe(true);
    // Copies in one request, so that Claude's union cap comes into play on the tools it sends.
    const tools: Tool[] = Array.from({ length: COPIES }, (_, i) => ({
      toolSpec: { name: `tool_${i}`, description: 'generated', inputSchema: { json: compiled.schema } },
    }));
    const capped = capUnionParameters(tools, caps);
    for (const modelId of models) {
      const request = toWireRequest({
        modelId,
        caps: capabilitiesFor(modelId),
        messages: [{ role: 'user', content: [{ text: 'hi' }] }],
        tools: capped.tools,
      });
      const traits = traitsFor(modelId);
      if (!traits) throw new Error(`the emulator does not know ${modelId}`);
      expect(validateRequest(request as unknown as WireRequest, traits, false)?.message, modelId).toBeUndefined();
    }
    const forward = new Map([...compiled.renamed].map(([safe, original]) => [original, safe]));
    for (const sentTool of capped.tools) {
      const { name: tool, inputSchema } = (
        sentTool as { toolSpec: { name: string; inputSchema: { json: JsonObject } } }
      ).toolSpec;
      const text = JSON.stringify(inputSchema.json);
      let validate = validators.get(text);
      if (!validate) {
        expect(ajv.validateSchema(inputSchema.json), JSON.stringify(ajv.errors)).toBe(true);
        if (inputs.length === 0) continue;
        validate = ajv.compile(inputSchema.json);
        validators.set(text, validate);
      }
      const narrowed: SchemaChange[] = [
        ...compiled.changes.map((c) => ({ tool, ...c })),
        ...capped.changes.filter((c) => c.tool === tool),
      ].filter((c) => c.kind === 'narrowed');
      for (const input of inputs) {
        // A key the tool accepts only as an extra key, spelled like a renamed parameter, cannot be told apart.
        if (Object.keys(input).some((k) => compiled.renamed.has(k))) continue;
        const wire = Object.fromEntries(Object.keys(input).map((k) => [forward.get(k) ?? k, input[k] as JsonValue]));
        if (validate(wire)) continue;
        const errors = validate.errors ?? [];
        const explained =
          errors.length > 0 && errors.every((e) => narrowed.some((n) => covers(n.parameter, e.instancePath)));
        expect(explained, `${tool}: ${JSON.stringify(input)} refused: ${JSON.stringify(errors.slice(0, 3))}`).toBe(
          true,
        );
      }
    }
  }
}

it('compiled schemas keep the tool meaning for every family (property test)', () => {
  console.log(`schema property test: seed ${SEED}, ${RUNS} generated schemas`);
  fc.assert(
    fc.property(schemaArbitrary, fc.integer({ min: 1, max: 1_000_000 }), (schema, seed) => check(schema, seed)),
    { seed: SEED, numRuns: RUNS },
  );
  console.log(`schema property test: ${cases} schemas checked (seed ${SEED})`);
  expect(cases).toBeGreaterThanOrEqual(RUNS);
}, 600_000);
