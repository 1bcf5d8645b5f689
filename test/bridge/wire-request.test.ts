import { describe, expect, it } from 'vitest';
import type { Message, Tool } from '../../bridge/converse/types.js';
import { capabilitiesFor } from '../../bridge/converse/capabilities.js';
import { mistralToolUseId, PLACEHOLDER_TOOL, toWireRequest } from '../../bridge/converse/wire-request.js';

const tools: Tool[] = [
  {
    toolSpec: { name: 'top_song', description: 'Top song', inputSchema: { json: { type: 'object', properties: {} } } },
  },
];
const history: Message[] = [
  { role: 'user', content: [{ text: 'top song on WZPZ?' }] },
  {
    role: 'assistant',
    content: [{ text: 'Checking.' }, { toolUse: { toolUseId: 'tooluse_abc-1', name: 'top_song', input: {} } }],
  },
  {
    role: 'user',
    content: [
      {
        toolResult: {
          toolUseId: 'tooluse_abc-1',
          status: 'error',
          content: [{ json: { error: 'Station WZPZ not found' } }],
        },
      },
      { text: 'and quickly' },
    ],
  },
];

function wire(modelId: string, extra: Partial<Parameters<typeof toWireRequest>[0]> = {}) {
  return toWireRequest({
    modelId,
    caps: capabilitiesFor(modelId),
    messages: history,
    system: [{ text: 'Be brief.' }],
    tools,
    ...extra,
  });
}

describe('toWireRequest', () => {
  it('keeps status and json for Claude', () => {
    const request = wire('anthropic.claude-3-5-sonnet-20240620-v1:0');
    expect(request.system).toEqual([{ text: 'Be brief.' }]);
    expect(request.messages[2]?.content[0]).toEqual(history[2]?.content[0]);
  });

  it('drops status for models that reject it and turns json into text for Nova', () => {
    // Every family in the table accepts status but Writer Palmyra (docs/bedrock-evidence.md).
    const writer = wire('writer.palmyra-x5-v1:0');
    expect(JSON.stringify(writer)).not.toContain('"status"');
    expect(JSON.stringify(writer)).toContain('Error: the tool call failed.');
    for (const id of ['meta.llama3-1-70b-instruct-v1:0', 'mistral.mistral-large-2407-v1:0', 'cohere.command-r-v1:0']) {
      expect(wire(id).messages[2]?.content[0]).toMatchObject({ toolResult: { status: 'error' } });
    }
    expect(JSON.stringify(wire('example.unknown-model-v1:0'))).not.toContain('"status"');
    const nova = wire('amazon.nova-pro-v1:0');
    expect(nova.messages[2]?.content[0]).toEqual({
      toolResult: {
        toolUseId: 'tooluse_abc-1',
        status: 'error',
        content: [{ text: '{"error":"Station WZPZ not found"}' }],
      },
    });
  });

  it('never mixes text with tool blocks for Llama and Mistral', () => {
    for (const id of ['meta.llama3-1-70b-instruct-v1:0', 'mistral.mistral-large-2407-v1:0']) {
      const request = wire(id);
      expect(request.messages[1]?.content.every((b) => 'toolUse' in b)).toBe(true);
      const user = request.messages[2]?.content ?? [];
      expect(user.every((b) => 'toolResult' in b)).toBe(true);
      expect(JSON.stringify(user)).toContain('User: and quickly');
    }
  });

  it('maps tool-use ids to 9 alphanumerics for Ministral 3, the same way in calls and results', () => {
    const request = wire('mistral.ministral-3-14b-instruct');
    const id = mistralToolUseId('tooluse_abc-1');
    expect(id).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(request.messages[1]?.content[0]).toMatchObject({ toolUse: { toolUseId: id } });
    expect(request.messages[2]?.content[0]).toMatchObject({ toolResult: { toolUseId: id } });
  });

  it("keeps Bedrock's own tooluse_ ids for Mistral Large, which accepts them in history", () => {
    const request = wire('mistral.mistral-large-2407-v1:0');
    expect(request.messages[1]?.content[0]).toMatchObject({ toolUse: { toolUseId: 'tooluse_abc-1' } });
    expect(request.messages[2]?.content[0]).toMatchObject({ toolResult: { toolUseId: 'tooluse_abc-1' } });
  });

  it('degrades toolChoice where unsupported', () => {
    expect(wire('meta.llama3-1-70b-instruct-v1:0', { toolChoice: { any: {} } }).toolConfig?.toolChoice).toBeUndefined();
    expect(
      wire('mistral.mistral-large-2407-v1:0', { toolChoice: { tool: { name: 'top_song' } } }).toolConfig?.toolChoice,
    ).toEqual({ any: {} });
    expect(
      wire('amazon.nova-lite-v1:0', { toolChoice: { tool: { name: 'top_song' } } }).toolConfig?.toolChoice,
    ).toEqual({ tool: { name: 'top_song' } });
  });

  it('sends a placeholder tool when history holds tool blocks but no tools are left', () => {
    expect(wire('anthropic.claude-3-haiku-20240307-v1:0', { tools: [] }).toolConfig).toEqual({
      tools: [PLACEHOLDER_TOOL],
    });
  });

  it('renders tools, calls and results as text for prompt-based models and folds system for Titan', () => {
    const request = wire('amazon.titan-text-express-v1');
    expect(request.toolConfig).toBeUndefined();
    expect(request.system).toBeUndefined();
    const text = JSON.stringify(request.messages);
    expect(text).toContain('<system>');
    expect(text).toContain('Tool Call:\\n[{\\"name\\":\\"top_song\\",\\"arguments\\":{}}]');
    expect(text).toContain('<tool_result name=\\"top_song\\" status=\\"error\\">');
    expect(text).not.toContain('toolUse');
  });
});
