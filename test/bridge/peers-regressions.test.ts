/**
 * One test per translation bug peers shipped (docs/bedrock-model-quirks.md, rows by number). Each builds what the
 * bridge would send and posts it through the real AWS SDK to the emulator, for every model family.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BedrockModelClient,
  LocalToolset,
  ModelCallError,
  runToolLoop,
  type JsonObject,
  type Message,
  type Tool,
  type ToolResultBlock,
} from '../../bridge/index.js';
import {
  capabilitiesFor,
  capUnionParameters,
  compileSchema,
  repairHistory,
  toToolResult,
  toWireRequest,
} from '../../bridge/entries/converse.js';
import { converseNames } from '../../bridge/mcp/tool-names.js';
import { restoreArguments } from '../../bridge/mcp/schema-compiler.js';
import { ScriptedModelClient, textTurn } from '../../bridge/entries/testing.js';
import { StreamAssembler } from '../../bridge/converse/stream-assembler.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { FAMILY_MODELS } from './families.js';

let emulator: Emulator;
let client: BedrockModelClient;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  client = new BedrockModelClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
  });
});
afterAll(() => emulator.close());

const TOOL: Tool = {
  toolSpec: {
    name: 'lookup',
    description: 'Look something up',
    inputSchema: { json: { type: 'object', properties: { q: { type: 'string' } } } },
  },
};

const CLAUDE = capabilitiesFor('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
const NOVA = capabilitiesFor('us.amazon.nova-pro-v1:0');

function tool(name: string, schema: unknown): Tool {
  const compiled = compileSchema(schema as JsonObject, CLAUDE.schemaRules);
  if (!compiled.ok) throw new Error(compiled.reason);
  return { toolSpec: { name, description: name, inputSchema: { json: compiled.compiled.schema } } };
}

function exchange(result: ToolResultBlock | ToolResultBlock[], calls = 1): Message[] {
  const results = Array.isArray(result) ? result : [result];
  return [
    { role: 'user', content: [{ text: 'Please look it up' }] },
    {
      role: 'assistant',
      content: [
        { text: 'Looking.' },
        ...Array.from({ length: calls }, (_, i) => ({ toolUse: { toolUseId: `tu${i}`, name: 'lookup', input: {} } })),
      ],
    },
    { role: 'user', content: results.map((r) => ({ toolResult: r })) },
  ];
}

/** Sends the history (repaired, as the loop does) for every family; any ValidationException fails the test. */
async function acceptedEverywhere(messages: Message[], tools: Tool[] = [TOOL]): Promise<void> {
  const repaired = repairHistory(messages).messages;
  for (const modelId of FAMILY_MODELS) {
    const request = toWireRequest({ modelId, caps: capabilitiesFor(modelId), messages: repaired, tools });
    const outcome = await client.converse(request).catch((e: unknown) => e);
    if (outcome instanceof ModelCallError) throw new Error(`${modelId}: ${outcome.message}`);
  }
}

describe('peer bugs that must not happen here', () => {
  it('peers #1: toolResult.status only reaches models that accept it', async () => {
    await acceptedEverywhere(exchange({ toolUseId: 'tu0', content: [{ text: 'boom' }], status: 'error' }));
  });

  it('peers #2: an MCP result with empty content never becomes an empty toolResult', async () => {
    const result = toToolResult('tu0', { content: [] });
    expect(result.content).toEqual([{ text: '(no output)' }]);
    await acceptedEverywhere(exchange(result));
  });

  it('peers #3: an error result always carries explanatory text', async () => {
    const result = toToolResult('tu0', { content: [], isError: true });
    expect(result).toMatchObject({ status: 'error', content: [{ text: 'The tool failed without saying why.' }] });
    await acceptedEverywhere(exchange(result));
  });

  it(
    'peers #4 and #5: one result per toolUse, all in one user ' + 'message, in order, even when history was split',
    async () => {
      const split: Message[] = [
        ...exchange([], 2).slice(0, 2),
        {
          role: 'user',
          content: [{ toolResult: { toolUseId: 'tu1', content: [{ text: 'second' }], status: 'success' } }],
        },
        {
          role: 'user',
          content: [{ toolResult: { toolUseId: 'tu0', content: [{ text: 'first' }], status: 'success' } }],
        },
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 'stale', content: [{ text: 'from a stopped loop' }], status: 'success' } },
          ],
        },
      ];
      const repaired = repairHistory(split).messages;
      expect(repaired).toHaveLength(3);
      expect(repaired[2]?.content.slice(0, 2).map((b) => ('toolResult' in b ? b.toolResult.toolUseId : ''))).toEqual([
        'tu0',
        'tu1',
      ]);
      await acceptedEverywhere(split);
    },
  );

  it('peers #6: text after toolUse, tool blocks without tools, and orphaned calls are repaired', async () => {
    const messages: Message[] = [
      { role: 'user', content: [{ text: 'go' }] },
      {
        role: 'assistant',
        content: [{ toolUse: { toolUseId: 'tu0', name: 'lookup', input: {} } }, { text: 'calling now' }],
      },
    ];
    await acceptedEverywhere(messages, []);
  });

  it('peers #7: $defs, definitions and $schema never reach Nova', async () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { a: { $ref: '#/definitions/A' } },
      definitions: { A: { type: 'string' } },
    };
    const compiled = compileSchema(schema, NOVA.schemaRules);
    expect(JSON.stringify(compiled)).not.toMatch(/definitions|\$ref|\$schema/);
    await acceptedEverywhere([{ role: 'user', content: [{ text: 'hi' }] }], [tool('nova_defs', schema)]);
  });

  it('peers #8: null branches stay while no limit forces them out', () => {
    const compiled = compileSchema(
      {
        type: 'object',
        properties: { a: { anyOf: [{ type: 'string' }, { type: 'null' }] }, b: { type: ['integer', 'null'] } },
      },
      CLAUDE.schemaRules,
    );
    expect(compiled.ok && compiled.compiled.schema['properties']).toEqual({
      a: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      b: { type: ['integer', 'null'] },
    });
  });

  it(
    'peers #8: at most 16 union-typed parameters across all ' + 'tools, each change named by tool and parameter',
    async () => {
      const many = Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [`p${i}`, { anyOf: [{ type: 'string' }, { type: 'integer' }] }]),
      );
      const tools = [
        tool('a', { type: 'object', properties: many }),
        tool('b', { type: 'object', properties: { ...many, t: { type: ['string', 'number'] } } }),
      ];
      const { tools: capped, changes } = capUnionParameters(tools, CLAUDE);
      const unions = JSON.stringify(capped).match(/"anyOf"|"type":\[/g) ?? [];
      expect(unions).toHaveLength(16);
      expect(changes).toHaveLength(9);
      expect(changes[0]).toMatchObject({ tool: 'b', parameter: 't', kind: 'widened' });
      expect(changes.every((c) => c.tool === 'b')).toBe(true);
      expect(JSON.stringify(tools)).toContain('"t":{"type":["string","number"]}');
      expect(capUnionParameters(tools, capabilitiesFor('us.meta.llama3-1-70b-instruct-v1:0')).changes).toEqual([]);
      await acceptedEverywhere([{ role: 'user', content: [{ text: 'hi' }] }], capped);
    },
  );

  it('peers #9 and #10: strict is never sent', () => {
    expect(
      JSON.stringify(tool('x', { type: 'object', properties: { tags: { type: 'array', maxItems: 3 } } })),
    ).not.toContain('strict');
  });

  it('peers #11 and #12: a root oneOf or null properties become an object with properties', async () => {
    const oneOf = tool('one_of', {
      oneOf: [
        { type: 'object', properties: { a: { type: 'string' } } },
        { type: 'object', properties: { b: { type: 'number' } } },
      ],
    });
    const nullProps = tool('null_props', { type: 'object', properties: null });
    expect((oneOf as { toolSpec: { inputSchema: { json: JsonObject } } }).toolSpec.inputSchema.json).toMatchObject({
      type: 'object',
      properties: { a: {}, b: {} },
    });
    await acceptedEverywhere([{ role: 'user', content: [{ text: 'hi' }] }], [oneOf, nullProps]);
  });

  it('peers #14, #17 and #18: dotted server names, empty names and long names become valid unique names', () => {
    const names = converseNames([
      { server: 'awslabs.aws-documentation-mcp-server', tool: 'search_documentation' },
      { server: 'other', tool: 'search_documentation' },
      { server: 'x', tool: '' },
      { server: 'x', tool: 'a'.repeat(80) },
      { server: 'y', tool: `${'a'.repeat(80)}b` },
    ]);
    const values = [...names.values()];
    expect(values[0]).toBe('awslabs_aws-documentation-mcp-server__search_documentation');
    for (const name of values) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(new Set(values).size).toBe(values.length);
  });

  it('peers #15 and #16: a name the model invented in history is answered, never replayed invalid', async () => {
    const messages: Message[] = [
      { role: 'user', content: [{ text: 'go' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 'tu0', name: 'lookup', input: {} } }] },
      {
        role: 'user',
        content: [
          {
            toolResult: {
              toolUseId: 'tu0',
              content: [{ text: 'There is no tool named "$READFILE".' }],
              status: 'error',
            },
          },
        ],
      },
    ];
    await acceptedEverywhere(messages);
  });

  it('peers #19 and #26: structuredContent arrays are wrapped as a json object', async () => {
    const result = toToolResult('tu0', {
      content: [{ type: 'text', text: '6 items returned' }],
      structuredContent: [1, 2, 3] as never,
    });
    expect(result.content[0]).toEqual({ json: { result: [1, 2, 3] } });
    await acceptedEverywhere(exchange(result));
  });

  it('peers #20 and #21: images in results only where the model reads them, only in Bedrock formats', async () => {
    const png = Buffer.from('iVBORw0KGgo=', 'base64').toString('base64');
    const result = toToolResult('tu0', {
      content: [
        { type: 'image', data: png, mimeType: 'image/png' },
        { type: 'image', data: png, mimeType: 'image/svg+xml' },
      ],
    });
    expect(result.content[1]).toEqual({
      text: '[image of type image/svg+xml not shown: Bedrock accepts png, jpeg, gif and webp]',
    });
    await acceptedEverywhere(exchange(result));
  });

  it('peers #23: toolChoice is degraded per model', async () => {
    for (const modelId of FAMILY_MODELS) {
      const request = toWireRequest({
        modelId,
        caps: capabilitiesFor(modelId),
        messages: [{ role: 'user', content: [{ text: 'hi' }] }],
        tools: [TOOL],
        toolChoice: { tool: { name: 'lookup' } },
      });
      const outcome = await client.converse(request).catch((e: unknown) => e);
      if (outcome instanceof ModelCallError) throw new Error(`${modelId}: ${outcome.message}`);
    }
  });

  it('peers #13: property keys Bedrock rejects are renamed, with a reverse map for the arguments', async () => {
    const compiled = compileSchema(
      { type: 'object', properties: { 'user.name': { type: 'string' } }, required: ['user.name'] },
      CLAUDE.schemaRules,
    );
    expect(compiled.ok && compiled.compiled.schema).toEqual({
      type: 'object',
      properties: { user_name: { type: 'string' } },
      required: ['user_name'],
    });
    expect(compiled.ok && restoreArguments({ user_name: 'ana' }, compiled.compiled.renamed)).toEqual({
      'user.name': 'ana',
    });
    await acceptedEverywhere(
      [{ role: 'user', content: [{ text: 'hi' }] }],
      [tool('dotted', { type: 'object', properties: { 'user.name': { type: 'string' } } })],
    );
  });

  it('peers #22: no cachePoint inside tools for Nova', async () => {
    await acceptedEverywhere(
      [{ role: 'user', content: [{ text: 'hi' }] }],
      [TOOL, { cachePoint: { type: 'default' } }],
    );
  });

  it('peers #24: streamed tool input that is empty becomes {}, bad JSON an error result, never a string', () => {
    const assembler = new StreamAssembler();
    for (const event of [
      { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'a', name: 'lookup' } } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'b', name: 'lookup' } } } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"q": ' } } } },
      { contentBlockStop: { contentBlockIndex: 1 } },
    ])
      assembler.push(event);
    const { response, invalidToolInputs } = assembler.finish();
    expect(response.output.message.content).toEqual([
      { toolUse: { toolUseId: 'a', name: 'lookup', input: {} } },
      { toolUse: { toolUseId: 'b', name: 'lookup', input: {} } },
    ]);
    expect(invalidToolInputs.map((i) => i.toolUseId)).toEqual(['b']);
  });

  it('peers #27: a tool call Nova wrote as text runs only when it names a tool we sent', async () => {
    const tools = new LocalToolset([
      {
        name: 'lookup',
        description: 'Look something up',
        inputSchema: { type: 'object', properties: {} },
        run: async () => 'found',
      },
    ]);
    const model = new ScriptedModelClient([
      textTurn('[{"name": "lookup", "arguments": {}}]'),
      textTurn('done'),
      textTurn('[{"name": "rm_rf", "arguments": {}}]'),
    ]);
    const options = { client: model, modelId: 'us.amazon.nova-pro-v1:0', toolset: tools };
    const first = await runToolLoop([{ role: 'user', content: [{ text: 'go' }] }], options);
    expect(first.toolCalls.map((c) => c.name)).toEqual(['lookup']);
    const second = await runToolLoop([{ role: 'user', content: [{ text: 'go' }] }], options);
    expect(second.toolCalls).toEqual([]);
    expect(second.text).toBe('[{"name": "rm_rf", "arguments": {}}]');
  });
});
