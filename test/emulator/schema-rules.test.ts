/**
 * The emulator's Claude tool-schema rules (docs/schema-translation.md, "Emulator rules"), through the real SDK:
 * root combinators and the 16-union limit, with Bedrock's exact messages, and only for Claude.
 */
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { emulatorWithSdk } from '../support/emulator-sdk.js';

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const OTHERS = ['us.meta.llama3-1-70b-instruct-v1:0', 'mistral.mistral-large-2407-v1:0', 'openai.gpt-oss-120b-1:0'];

const rig = emulatorWithSdk();

const tool = (name: string, json: object) => ({ toolSpec: { name, description: name, inputSchema: { json } } });
const unions = (n: number, schema: object) => ({
  type: 'object',
  properties: Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, schema])),
});

async function send(modelId: string, tools: object[]): Promise<string> {
  const command = new ConverseCommand({
    modelId,
    messages: [{ role: 'user', content: [{ text: 'hi' }] }],
    toolConfig: { tools },
  } as never);
  return rig.sdk.send(command).then(
    () => 'accepted',
    (error: Error) => `${error.name}: ${error.message}`,
  );
}

describe('Claude tool-schema rules', () => {
  it('rejects anyOf, oneOf or allOf at the top of an input schema, even beside type object', async () => {
    const rooted = tool('pick', {
      type: 'object',
      properties: { a: {}, b: {} },
      anyOf: [{ required: ['a'] }, { required: ['b'] }],
    });
    expect(await send(CLAUDE, [tool('first', { type: 'object', properties: {} }), rooted])).toBe(
      'ValidationException: The model returned the following errors: tools.1.custom.input_schema: ' +
        'input_schema does not support oneOf, allOf, or anyOf at the top level',
    );
    for (const modelId of OTHERS) expect(await send(modelId, [rooted])).toBe('accepted');
    const nested = tool('nested', { type: 'object', properties: { a: { anyOf: [{ type: 'string' }] } } });
    expect(await send(CLAUDE, [nested])).toBe('accepted');
  });

  it('rejects more than 16 nodes with anyOf or a type array across all tools, wherever they sit', async () => {
    const deep = tool('deep', {
      type: 'object',
      properties: {
        list: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
        map: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
        pick: { anyOf: [{ type: 'object', properties: { x: { type: ['integer', 'null'] } } }, { type: 'string' }] },
      },
    });
    const thirteen = tool('thirteen', unions(13, { type: ['string', 'null'] }));
    expect(await send(CLAUDE, [thirteen, deep])).toBe(
      'ValidationException: The model returned the following errors: Schemas contains too many parameters ' +
        'with union types (17 parameters with type arrays or anyOf). This causes exponential compilation cost. ' +
        'Reduce the number of nullable or union-typed parameters (limit: 16 parameters with unions).',
    );
    expect(await send(CLAUDE, [tool('twelve', unions(12, { type: ['string', 'null'] })), deep])).toBe('accepted');
    for (const modelId of OTHERS) expect(await send(modelId, [thirteen, deep])).toBe('accepted');
  });

  it('does not count oneOf, which Bedrock does not name', async () => {
    expect(await send(CLAUDE, [tool('one', unions(20, { oneOf: [{ type: 'string' }, { type: 'integer' }] }))])).toBe(
      'accepted',
    );
  });
});
