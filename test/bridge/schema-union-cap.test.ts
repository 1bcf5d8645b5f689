/**
 * Claude's 16-union limit (docs/schema-translation.md, "Null branches and the union cap"): counted as Bedrock counts
 * it, applied per family, only to the tools one request sends (also when toolsets are combined), and every change
 * named by tool and parameter. Requests go through the real SDK to the emulator, which enforces the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BedrockModelClient,
  combineToolsets,
  filterToolset,
  LocalToolset,
  ModelCallError,
  runToolLoop,
  type JsonObject,
  type LocalTool,
  type LoopEvent,
  type Tool,
  type Toolset,
} from '../../bridge/index.js';
import { capabilitiesFor, capUnionParameters, toWireRequest } from '../../bridge/entries/converse.js';
import { ScriptedModelClient, textTurn } from '../../bridge/entries/testing.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const CLAUDE = capabilitiesFor('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
const LLAMA = capabilitiesFor('us.meta.llama3-1-70b-instruct-v1:0');
const NOVA = capabilitiesFor('us.amazon.nova-pro-v1:0');

const nullable = { anyOf: [{ type: 'string' }, { type: 'null' }] };
const spec = (name: string, json: JsonObject): Tool => ({
  toolSpec: { name, description: name, inputSchema: { json } },
});
type Spec = { toolSpec: { inputSchema: { json: { properties: JsonObject } } } };
const unions = (tools: Tool[]): number => JSON.stringify(tools).match(/"anyOf"|"oneOf"|"type":\[/g)?.length ?? 0;

/** Unions where the old cap never looked: array items, union branches, additionalProperties. */
const hidden = spec('search', {
  type: 'object',
  properties: {
    filters: {
      type: 'array',
      items: {
        type: 'object',
        properties: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}`, { type: ['string', 'null'] }])),
      },
    },
    value: { anyOf: [{ type: 'object', properties: { inner: { type: ['integer', 'string'] } } }, { type: 'string' }] },
    labels: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
  },
  required: ['filters'],
});
const flat = (name: string, count: number): Tool =>
  spec(name, {
    type: 'object',
    properties: Object.fromEntries(Array.from({ length: count }, (_, i) => [`p${i}`, nullable])),
  });

let emulator: Emulator;
let bedrock: BedrockModelClient;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  bedrock = new BedrockModelClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
  });
});
afterAll(() => emulator.close());

async function claudeAccepts(tools: Tool[]): Promise<string | undefined> {
  const modelId = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
  const request = toWireRequest({
    modelId,
    caps: CLAUDE,
    messages: [{ role: 'user', content: [{ text: 'hi' }] }],
    tools,
  });
  const outcome = await bedrock.converse(request).catch((e: unknown) => e);
  return outcome instanceof ModelCallError ? outcome.message : undefined;
}

describe('the union cap', () => {
  it('counts unions inside array items, union branches and additionalProperties, as Bedrock does', async () => {
    const tools = [hidden, flat('list', 10)];
    expect(unions(tools)).toBe(19);
    expect(await claudeAccepts(tools)).toContain('(19 parameters with type arrays or anyOf)');
    const capped = capUnionParameters(tools, CLAUDE);
    expect(unions(capped.tools)).toBe(16);
    expect(await claudeAccepts(capped.tools)).toBeUndefined();
  });

  it('drops null from optional parameters first, last tool first, and names each tool and parameter', () => {
    const { tools, changes } = capUnionParameters([hidden, flat('list', 10)], CLAUDE);
    expect(changes).toEqual(
      ['p9', 'p8', 'p7'].map((parameter) => ({
        tool: 'list',
        parameter,
        kind: 'narrowed',
        detail: expect.stringContaining('no longer accepts null, leave it out instead'),
      })),
    );
    const props = (tools[1] as unknown as Spec).toolSpec.inputSchema.json.properties;
    expect(props['p9']).toEqual({ type: 'string' });
    expect(props['p6']).toEqual(nullable);
  });

  it('widens the remaining unions (never refusing a value) once no optional null is left', () => {
    const { tools, changes } = capUnionParameters([flat('list', 10), hidden], CLAUDE);
    expect(unions(tools)).toBe(16);
    // Items' properties are optional too: their nulls go first, then unions are widened, deepest first.
    expect(changes.map((c) => `${c.kind} ${c.tool} ${c.parameter}`)).toEqual([
      'narrowed search filters[].f5',
      'narrowed search filters[].f4',
      'narrowed search filters[].f3',
    ]);
    const onlyUnions = spec('only', {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`u${i}`, { type: ['string', 'integer'] }])),
      required: Array.from({ length: 17 }, (_, i) => `u${i}`),
    });
    const widened = capUnionParameters([onlyUnions], CLAUDE);
    expect(widened.changes).toEqual([
      { tool: 'only', parameter: 'u16', kind: 'widened', detail: expect.stringContaining('type string | integer') },
    ]);
    const u16 = (widened.tools[0] as unknown as Spec).toolSpec.inputSchema.json.properties['u16'];
    expect(u16).toEqual({ description: 'accepts type string | integer' });
  });

  it('applies only to families with a documented limit', () => {
    const tools = [hidden, flat('list', 20)];
    expect(capUnionParameters(tools, LLAMA)).toEqual({ tools, changes: [] });
    expect(capUnionParameters(tools, NOVA)).toEqual({ tools, changes: [] });
    expect(capUnionParameters(tools, capabilitiesFor('anthropic.claude-v2:1')).changes).toEqual([]);
  });

  const local = (name: string, count: number): LocalTool => ({
    name,
    description: name,
    inputSchema: (flat(name, count) as { toolSpec: { inputSchema: { json: JsonObject } } }).toolSpec.inputSchema.json,
    run: async () => 'ok',
  });

  async function loopRequest(toolset: Toolset) {
    const client = new ScriptedModelClient([textTurn('done')]);
    const events: LoopEvent[] = [];
    await runToolLoop([{ role: 'user', content: [{ text: 'go' }] }], {
      client,
      modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      toolset,
      onEvent: (e) => events.push(e),
    });
    return { request: client.requests[0], events };
  }

  it('is charged only for the tools a request sends (hidden tools cost nothing)', async () => {
    const all = new LocalToolset([local('hidden_a', 10), local('hidden_b', 10), local('kept', 10)]);
    const { request, events } = await loopRequest(filterToolset(all, (d) => d.name === 'kept'));
    expect(request?.toolConfig?.tools).toHaveLength(1);
    expect(events.filter((e) => e.type === 'warning')).toEqual([]);
  });

  it('applies to the final request of combined toolsets and reports each change in the loop warnings', async () => {
    const combined = combineToolsets([new LocalToolset([local('client', 10)]), new LocalToolset([local('mcp', 10)])]);
    const { request, events } = await loopRequest(combined);
    const tools = request?.toolConfig?.tools ?? [];
    expect(unions(tools)).toBe(16);
    expect(await claudeAccepts(tools)).toBeUndefined();
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e] : []));
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toEqual({
      type: 'warning',
      message: expect.stringMatching(/^tool mcp, parameter "p9": no longer accepts null/),
      change: { tool: 'mcp', parameter: 'p9', kind: 'narrowed', detail: expect.any(String) },
    });
  });
});
