/**
 * The eight schema-translation defects of docs/schema-translation.md, one regression test each, on the shapes real
 * servers publish (fixtures/mcp-tools/schema-defects.json, served over stdio through the hub). Compiled schemas are
 * checked with ajv (2020-12) and sent through the real SDK to the emulator, which enforces Claude's schema rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BedrockModelClient,
  HubToolset,
  McpHub,
  ModelCallError,
  type JsonObject,
  type ModelCapabilities,
} from '../../bridge/index.js';
import {
  capabilitiesFor,
  compileSchema,
  requestTools,
  toWireRequest,
  type CompiledSchema,
} from '../../bridge/entries/converse.js';
import { restoreArguments } from '../../bridge/mcp/schema-compiler.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { hostileSchemas } from '../../bench/schema-arbitrary.js';
import { FAMILY_MODELS } from './families.js';

const FIXTURE = join(process.cwd(), 'fixtures', 'mcp-tools', 'schema-defects.json');
const tools = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { tools: { name: string; inputSchema: JsonObject }[] })
  .tools;
const schemaOf = (name: string): JsonObject => tools.find((t) => t.name === name)?.inputSchema as JsonObject;
const CLAUDE = capabilitiesFor('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
const LLAMA = capabilitiesFor('us.meta.llama3-1-70b-instruct-v1:0');
// ownProperties: a property named constructor is data, not Object.prototype's (defect 8).
const ajv = new Ajv2020({ strict: false, validateFormats: false, ownProperties: true });

function compiled(schema: JsonObject, caps: ModelCapabilities): CompiledSchema {
  const result = compileSchema(schema, caps.schemaRules);
  if (!result.ok) throw new Error(result.reason);
  return result.compiled;
}

/** Whether the compiled schema accepts an input written with the tool's own key names. */
function accepts(c: CompiledSchema, input: JsonObject): boolean {
  const forward = new Map([...c.renamed].map(([safe, original]) => [original, safe]));
  const wire = Object.fromEntries(Object.entries(input).map(([k, v]) => [forward.get(k) ?? k, v]));
  return ajv.validate(c.schema, wire);
}

let hub: McpHub;
let emulator: Emulator;
let bedrock: BedrockModelClient;
beforeAll(async () => {
  hub = new McpHub([
    {
      name: 'defects',
      transport: 'stdio',
      command: process.execPath,
      args: [join(process.cwd(), 'fixtures', 'mcp-tools', 'serve-tools.mjs'), FIXTURE],
    },
  ]);
  await hub.start();
  emulator = await startEmulator({ port: 0 });
  bedrock = new BedrockModelClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
  });
});
afterAll(async () => {
  await hub.close();
  await emulator.close();
});

describe('schema translation defects', () => {
  it('1: colliding long keys terminate with stable, unique, valid names that map back', () => {
    const schema = schemaOf('list_audit_events');
    const first = compiled(schema, CLAUDE);
    const names = Object.keys(first.schema['properties'] as JsonObject);
    expect(names).toHaveLength(4);
    expect(new Set(names).size).toBe(4);
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(compiled(schema, CLAUDE).renamed).toEqual(first.renamed);
    expect(restoreArguments(Object.fromEntries(names.map((n) => [n, 1])), first.renamed)).toEqual(
      Object.fromEntries(Object.keys(schema['properties'] as JsonObject).map((k) => [k, 1])),
    );
    // Any number of collisions: 40 keys with one 64-character prefix.
    const many = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`${'k'.repeat(64)}.${i}`, {}])),
    };
    expect(new Set(Object.keys(compiled(many, CLAUDE).schema['properties'] as JsonObject)).size).toBe(40);
  });

  it('2: a root anyOf beside type object is folded for Claude, with the alternatives in the description', () => {
    const c = compiled(schemaOf('browser_prepare'), CLAUDE);
    expect(c.schema).not.toHaveProperty('anyOf');
    expect(Object.keys(c.schema['properties'] as JsonObject)).toEqual(['pid', 'allow_launch', 'profile']);
    expect(c.note).toContain('{"required":["pid"]}');
    expect(c.changes[0]).toMatchObject({ parameter: '', kind: 'widened' });
    expect(accepts(c, { allow_launch: true, profile: 'p' })).toBe(true);
    // Families that accept it keep it exactly.
    expect(compiled(schemaOf('browser_prepare'), LLAMA).schema).toHaveProperty('anyOf');
  });

  it('3: a root oneOf without type unites same-named properties instead of keeping the last branch', () => {
    for (const modelId of FAMILY_MODELS) {
      const c = compiled(schemaOf('manage_item'), capabilitiesFor(modelId));
      expect(accepts(c, { action: 'create', name: 'x' }), modelId).toBe(true);
      expect(accepts(c, { action: 'delete', id: 7 }), modelId).toBe(true);
    }
    const claude = compiled(schemaOf('manage_item'), CLAUDE);
    expect((claude.schema['properties'] as JsonObject)['action']).toEqual({
      type: 'string',
      enum: ['create', 'delete'],
    });
    expect(claude.schema['required']).toEqual(['action']);
  });

  it('4: a recursive definition is cut off keeping its own type, so nested values stay valid', () => {
    const c = compiled(schemaOf('save_outline'), CLAUDE);
    expect(accepts(c, { x: [[]] })).toBe(true);
    expect(accepts(c, { x: [[[[]]]] })).toBe(true);
    expect(accepts(c, { metadata: { a: [1, { b: null }], c: 'd' } })).toBe(true);
    expect(accepts(c, { x: 'not a list' })).toBe(false);
    expect(c.changes.map((change) => change.parameter)).toContain('x[]');
  });

  it('5: type ["null"] stays valid JSON Schema 2020-12', () => {
    for (const modelId of FAMILY_MODELS) {
      const c = compiled(schemaOf('reset_cursor'), capabilitiesFor(modelId));
      expect(ajv.validateSchema(c.schema), JSON.stringify(ajv.errors)).toBe(true);
      expect(accepts(c, { cursor: null })).toBe(true);
    }
  });

  it('6: null branches and large bounds are kept where no rule forces a change', () => {
    const llama = compiled(schemaOf('query_replays'), LLAMA);
    expect(llama.changes).toEqual([]);
    expect(accepts(llama, { dataset: 'replays', fields: null, threshold: 1e299, limit: 5_000_000_000 })).toBe(true);
    const claude = compiled(schemaOf('query_replays'), CLAUDE);
    expect(JSON.stringify(claude.schema)).not.toContain('9007199254740991,');
    expect(accepts(claude, { dataset: 'replays', fields: null, threshold: 1e299, limit: 5_000_000_000 })).toBe(true);
    expect((claude.schema['properties'] as JsonObject)['limit']).toEqual({
      type: 'integer',
      description: 'minimum: -9007199254740991; maximum: 9007199254740991',
    });
    // What the change report says moved into the description is there, a default and examples included.
    const bounded = compiled(
      { type: 'object', properties: { n: { type: 'integer', default: 5_000_000_000, examples: [6_000_000_000] } } },
      CLAUDE,
    );
    expect(bounded.changes.map((c) => c.detail)).toEqual([
      'default moved into its description (Claude rejects integers beyond int32)',
      'examples moved into its description (Claude rejects integers beyond int32)',
    ]);
    expect((bounded.schema['properties'] as JsonObject)['n']).toEqual({
      type: 'integer',
      description: 'default: 5000000000; examples: [6000000000]',
    });
  });

  it('7: the union cap counts every union Bedrock counts, on the final request, and names each parameter', async () => {
    const toolset = new HubToolset(hub);
    for (const modelId of FAMILY_MODELS) {
      const caps = capabilitiesFor(modelId);
      const { tools: sent, changes } = requestTools(toolset, caps);
      const unions = JSON.stringify(sent).match(/"anyOf"|"oneOf"|"type":\[/g)?.length ?? 0;
      if (caps.schemaRules.unionLimit !== undefined && caps.toolUse === 'native') {
        expect(unions).toBe(16);
        expect(changes.filter((c) => c.tool === 'batch_update_records').map((c) => c.parameter)).toContain(
          'records[].tags',
        );
      } else {
        expect(changes.filter((c) => /union/.test(c.detail))).toEqual([]);
      }
      const request = toWireRequest({
        modelId,
        caps,
        messages: [{ role: 'user', content: [{ text: 'hi' }] }],
        tools: sent,
      });
      const answer = await bedrock.converse(request).catch((e: unknown) => e);
      if (answer instanceof ModelCallError) throw new Error(`${modelId}: ${answer.message}`);
    }
  });

  it('8: __proto__ and constructor are ordinary properties, and required names all exist', async () => {
    const toolset = new HubToolset(hub);
    const spec = toolset
      .toolSpecs(CLAUDE)
      .tools.find((t) => 'toolSpec' in t && t.toolSpec.name === 'set_translations') as {
      toolSpec: { inputSchema: { json: JsonObject } };
    };
    const json = spec.toolSpec.inputSchema.json;
    const properties = json['properties'] as JsonObject;
    expect(Object.keys(properties)).toEqual(['__proto__', 'constructor', 'locale', 'toString']);
    expect(Object.hasOwn(properties, '__proto__')).toBe(true);
    for (const name of json['required'] as string[]) expect(Object.hasOwn(properties, name)).toBe(true);
    expect(ajv.validate(json, JSON.parse('{"__proto__": "x", "locale": "de", "toString": 1}'))).toBe(true);
  });

  it(
    'hostile shapes (doubling references, 5,000 levels, 2,000 ' + 'colliding keys) compile to valid, bounded schemas',
    () => {
      for (const [what, schema] of Object.entries(hostileSchemas())) {
        for (const caps of [CLAUDE, LLAMA]) {
          const c = compiled(schema, caps);
          expect(ajv.validateSchema(c.schema), what).toBe(true);
          expect(JSON.stringify(c.schema).length, what).toBeLessThan(500_000);
        }
      }
      const keys = compiled(hostileSchemas()['2,000 keys sharing 70 characters'] as JsonObject, CLAUDE);
      expect(new Set(Object.keys(keys.schema['properties'] as JsonObject)).size).toBe(2_000);
    },
  );
});
