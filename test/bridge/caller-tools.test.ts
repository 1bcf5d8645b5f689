/**
 * The tool loop's options for callers that answer some tools themselves (the gateway): `callerTools` hands a turn
 * that calls them back, `requestFields` reach every model call, `repairHistory: false` sends the history as given,
 * and the result keeps the last model response.
 */
import { describe, expect, it } from 'vitest';
import type { ContentBlock, JsonObject, Message, Tool } from '../../bridge/converse/types.js';
import { runToolLoop } from '../../bridge/loop/tool-loop.js';
import { reply, ScriptedModelClient, textTurn } from '../../bridge/testing/scripted-model-client.js';
import { LocalToolset } from '../../bridge/tools/local-toolset.js';

const CLAUDE = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const call = (name: string, input: JsonObject, id: string): ContentBlock => ({
  toolUse: { toolUseId: id, name, input },
});
const weather: Tool = {
  toolSpec: { name: 'weather', description: 'The weather in a city.', inputSchema: { json: { type: 'object' } } },
};

describe('runToolLoop for callers that answer their own tools', () => {
  it(
    'hands back a turn that calls a caller tool, leaving out (not ' + 'running) the toolset calls of that turn',
    async () => {
      let ran = 0;
      const toolset = new LocalToolset([
        {
          name: 'lookup',
          description: 'Looks up.',
          inputSchema: { type: 'object' },
          annotations: { readOnlyHint: true },
          run: async () => {
            ran++;
            return 'found';
          },
        },
        // Shadowed: the caller's tool of the same name wins.
        { name: 'weather', description: 'Not this one.', inputSchema: { type: 'object' }, run: async () => 'no' },
      ]);
      const client = new ScriptedModelClient([
        reply([call('lookup', {}, 'a'), call('lookup', {}, 'b')], 'tool_use'),
        reply([{ text: 'Checking.' }, call('weather', { city: 'Oslo' }, 'w'), call('lookup', {}, 'c')], 'tool_use'),
      ]);
      const messages: Message[] = [{ role: 'user', content: [{ text: 'Weather in Oslo?' }] }];
      const result = await runToolLoop(messages, { client, modelId: CLAUDE, toolset, callerTools: [weather] });
      expect(ran).toBe(2);
      expect(result.stopReason).toBe('tool_use');
      expect(result.pendingToolUses).toEqual([{ toolUseId: 'w', name: 'weather', input: { city: 'Oslo' } }]);
      expect(messages.at(-1)).toEqual({
        role: 'assistant',
        content: [{ text: 'Checking.' }, call('weather', { city: 'Oslo' }, 'w')],
      });
      const offered = client.requests[0]?.toolConfig?.tools ?? [];
      expect(offered.map((t) => ('toolSpec' in t ? t.toolSpec.description : ''))).toEqual([
        'The weather in a city.',
        'Looks up.',
      ]);
      // The caller answers and runs the loop again: the history is valid as it stands.
      messages.push({ role: 'user', content: [{ toolResult: { toolUseId: 'w', content: [{ text: 'Sunny' }] } }] });
      const again = await runToolLoop(messages, {
        client: new ScriptedModelClient([textTurn('Sunny in Oslo.')]),
        modelId: CLAUDE,
        toolset,
        callerTools: [weather],
      });
      expect(again.text).toBe('Sunny in Oslo.');
      expect(again.pendingToolUses).toBeUndefined();
    },
  );

  it('sends requestFields on every call, keeps a faulty history as given, and returns the last response', async () => {
    const client = new ScriptedModelClient([{ ...textTurn('Hi.'), trace: { guardrail: {} } } as never]);
    const messages: Message[] = [{ role: 'assistant', content: [{ text: 'I speak first.' }] }];
    const requestFields = { requestMetadata: { team: 'checkout' }, guardrailConfig: { guardrailIdentifier: 'g1' } };
    const result = await runToolLoop(messages, {
      client,
      modelId: CLAUDE,
      toolset: new LocalToolset([]),
      requestFields,
      repairHistory: false,
      stream: false,
    });
    expect(client.requests[0]).toMatchObject(requestFields);
    expect(client.requests[0]?.messages[0]).toEqual({ role: 'assistant', content: [{ text: 'I speak first.' }] });
    expect(result.lastResponse).toMatchObject({ trace: { guardrail: {} }, stopReason: 'end_turn' });
  });
});
