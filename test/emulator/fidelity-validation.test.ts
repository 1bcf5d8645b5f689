/**
 * Where the emulator was more lenient or stricter than Bedrock: each rule with the request that showed it and the
 * wording from docs/bedrock-evidence.md (its catalogue says where Bedrock's wording is not on record).
 */
import { ConverseCommand, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { emulatorWithSdk } from '../support/emulator-sdk.js';

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
const LLAMA = 'us.meta.llama3-1-70b-instruct-v1:0';
const NOVA = 'us.amazon.nova-pro-v1:0';

const rig = emulatorWithSdk();

const outcome = (input: object): Promise<string> =>
  rig.sdk.send(new ConverseCommand(input as ConverseCommandInput)).then(
    () => 'accepted',
    (e: Error & { $metadata?: { httpStatusCode?: number } }) =>
      `${e.$metadata?.httpStatusCode} ${e.name}: ${e.message}`,
  );
const tool = (name: string, json: object = { type: 'object', properties: {} }) => ({
  toolSpec: { name, description: name, inputSchema: { json } },
});
const text = (t: string) => ({ text: t });
const use = { toolUse: { toolUseId: 'tooluse_a', name: 'lookup', input: {} } };
const result = { toolResult: { toolUseId: 'tooluse_a', content: [{ text: 'ok' }] } };
const png = { image: { format: 'png', source: { bytes: new Uint8Array([137, 80, 78, 71]) } } };
const doc = (name: string) => ({
  document: { format: 'txt', name, source: { bytes: new TextEncoder().encode('hi') } },
});

describe('6. Too lenient: what Bedrock rejects', () => {
  it('a toolUse block in a user turn (wording not on record)', async () => {
    expect(
      await outcome({
        modelId: CLAUDE,
        messages: [{ role: 'user', content: [text('hi'), use] }],
        toolConfig: { tools: [tool('lookup')] },
      }),
    ).toBe(
      '400 ValidationException: The toolUse block at messages.0.content.1 is in a user ' +
        'message. toolUse blocks can only be in assistant messages.',
    );
  });

  it('a toolResult block in an assistant turn (wording not on record)', async () => {
    const messages = [
      { role: 'user', content: [text('hi')] },
      { role: 'assistant', content: [result] },
    ];
    expect(await outcome({ modelId: CLAUDE, messages, toolConfig: { tools: [tool('lookup')] } })).toBe(
      '400 ValidationException: The toolResult block at messages.1.content.0 is in an ' +
        'assistant message. toolResult blocks can only be in user messages.',
    );
  });

  it("duplicate tool names: Anthropic's wording through Bedrock for Claude, the emulator's elsewhere", async () => {
    const request = (modelId: string) => ({
      modelId,
      messages: [{ role: 'user', content: [text('hi')] }],
      toolConfig: { tools: [tool('lookup'), tool('lookup')] },
    });
    expect(await outcome(request(CLAUDE))).toBe(
      '400 ValidationException: The model returned the following errors: tools: Tool names must be unique.',
    );
    expect(await outcome(request(LLAMA))).toBe(
      '400 ValidationException: The toolConfig field contains more than one ' +
        'tool named lookup. Tool names must be unique.',
    );
  });

  it('a dangling $ref on Claude; a resolving one is accepted', async () => {
    const schema = (ref: string) => ({
      type: 'object',
      properties: { a: { $ref: ref } },
      $defs: { Address: { type: 'string' } },
    });
    const request = (ref: string) => ({
      modelId: CLAUDE,
      messages: [{ role: 'user', content: [text('hi')] }],
      toolConfig: { tools: [tool('first'), tool('lookup', schema(ref))] },
    });
    expect(await outcome(request('#/$defs/Missing'))).toBe(
      '400 ValidationException: The model returned the following errors: tools.1.custom: ' +
        'Invalid schema: Reference to non-existent definition: #/$defs/Missing',
    );
    expect(await outcome(request('#/$defs/Address'))).toBe('accepted');
  });

  it.each(["John's report", 'invoice #123', 'a&b', 'report,2026', 'résumé', 'Report -  Final', 'a\tb'])(
    'the document name %j (characters outside Bedrock’s set)',
    async (name) => {
      expect(
        await outcome({ modelId: CLAUDE, messages: [{ role: 'user', content: [text('read this'), doc(name)] }] }),
      ).toBe(
        '400 ValidationException: The document file name can only contain alphanumeric ' +
          'characters, whitespace characters, hyphens, parentheses, and square brackets. The name ' +
          "can't contain more than one consecutive whitespace character. Check that the file name " +
          'conforms to these restrictions and retry your request.',
      );
    },
  );

  it('accepts document names inside the set', async () => {
    const content = [text('read these'), doc('Quarterly report (draft) [v2]'), doc('notes-2026')];
    expect(await outcome({ modelId: CLAUDE, messages: [{ role: 'user', content }] })).toBe('accepted');
  });

  it('a document without a text block beside it', async () => {
    expect(await outcome({ modelId: CLAUDE, messages: [{ role: 'user', content: [doc('report')] }] })).toBe(
      '400 ValidationException: A text block must be included when using documents.',
    );
  });

  it('an image in an assistant turn', async () => {
    const messages = [
      { role: 'user', content: [text('draw')] },
      { role: 'assistant', content: [png] },
      { role: 'user', content: [text('thanks')] },
    ];
    expect(await outcome({ modelId: CLAUDE, messages })).toBe(
      "400 ValidationException: messages.1.content: 'image' blocks are not permitted within assistant turns.",
    );
  });
});

describe('7. Not too strict: Nova matches schema keywords where they are keywords', () => {
  const nova = (json: object) => ({
    modelId: NOVA,
    messages: [{ role: 'user', content: [text('hi')] }],
    toolConfig: { tools: [tool('first'), tool('lookup', json)] },
  });

  it.each(['definitions', '$defs'])('accepts a property named %s', async (name) => {
    expect(await outcome(nova({ type: 'object', properties: { [name]: { type: 'string' } } }))).toBe('accepted');
  });

  it.each(['$defs', 'definitions'])('rejects %s as a root keyword, in Nova’s wording', async (key) => {
    expect(await outcome(nova({ type: 'object', properties: {}, [key]: { A: { type: 'string' } } }))).toBe(
      '400 ValidationException: The model returned the following errors: Malformed input ' +
        `request: #/toolConfig/tools/1/toolSpec/inputSchema/json: extraneous key [${key}] is ` +
        'not permitted, please reformat your input and try again.',
    );
  });
});

describe('bad requests Bedrock answers with 400, not 500', () => {
  it('a JSON null body', async () => {
    const response = await fetch(`${rig.emulator.url}/model/${CLAUDE}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'null',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^ValidationException/);
    expect(await response.json()).toEqual({
      message:
        "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null",
    });
  });

  it('a malformed percent-encoding in the model id', async () => {
    const response = await fetch(`${rig.emulator.url}/model/anthropic.claude%zz/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^ValidationException/);
    expect(await response.json()).toEqual({ message: 'The provided model identifier is invalid.' });
  });
});
