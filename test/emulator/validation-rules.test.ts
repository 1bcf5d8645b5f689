/**
 * Every validation rule of the emulator: a request that breaks it, sent through the real SDK, and Bedrock's exact
 * message.
 */
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { expect, it } from 'vitest';
import { DUMMY_CREDENTIALS, emulatorWithSdk } from '../support/emulator-sdk.js';

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
const LLAMA = 'us.meta.llama3-1-70b-instruct-v1:0';
const NOVA = 'amazon.nova-pro-v1:0';
const user = (text = 'hi') => ({ role: 'user', content: [{ text }] });
const tool = (name = 'lookup', json: unknown = { type: 'object', properties: {} }, extra: object = {}) => ({
  toolSpec: { name, inputSchema: { json }, ...extra },
});
const use = (id = 'a', name = 'lookup', input: unknown = {}) => ({ toolUse: { toolUseId: id, name, input } });
const result = (id = 'a', content: unknown[] = [{ text: 'ok' }], status?: string) => ({
  toolResult: { toolUseId: id, content, ...(status && { status }) },
});
const exchange = (results: unknown[], calls: unknown[] = [use()]) => [
  user(),
  { role: 'assistant', content: calls },
  { role: 'user', content: results },
];

const rig = emulatorWithSdk();

const RULES: [string, object, string, boolean?][] = [
  // Coral shape constraints (1-based paths).
  [
    'role enum',
    { modelId: CLAUDE, messages: [{ role: 'system', content: [{ text: 'x' }] }] },
    "1 validation error detected: Value 'system' at 'messages.1.member.role' failed to satisfy " +
      'constraint: Member must satisfy enum value set: [user, assistant]',
  ],
  [
    'toolUse name pattern',
    {
      modelId: CLAUDE,
      messages: [user(), { role: 'assistant', content: [use('a', 'a.b')] }, { role: 'user', content: [result()] }],
      toolConfig: { tools: [tool()] },
    },
    "1 validation error detected: Value at 'messages.2.member.content.1.member.toolUse.name' failed to " +
      'satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+',
  ],
  [
    'toolUse name length',
    {
      modelId: CLAUDE,
      messages: [
        user(),
        { role: 'assistant', content: [use('a', 'x'.repeat(65))] },
        { role: 'user', content: [result()] },
      ],
      toolConfig: { tools: [tool()] },
    },
    "1 validation error detected: Value at 'messages.2.member.content.1.member.toolUse.name' failed " +
      'to satisfy constraint: Member must have length less than or equal to 64',
  ],
  [
    'system text length',
    { modelId: CLAUDE, messages: [user()], system: [{ text: '' }] },
    "1 validation error detected: Value '' at 'system.1.member.text' failed to satisfy " +
      'constraint: Member must have length greater than or equal to 1',
  ],
  [
    'tools list empty',
    { modelId: CLAUDE, messages: [user()], toolConfig: { tools: [] } },
    "1 validation error detected: Value '[]' at 'toolConfig.tools' failed to satisfy " +
      'constraint: Member must have length greater than or equal to 1',
  ],
  [
    'tool name empty',
    { modelId: CLAUDE, messages: [user()], toolConfig: { tools: [tool('', { type: 'object' }, { description: '' })] } },
    "3 validation errors detected: Value '' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy " +
      "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+; Value '' at " +
      "'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must have length greater " +
      "than or equal to 1; Value '' at 'toolConfig.tools.1.member.toolSpec.description' failed to satisfy " +
      'constraint: Member must have length greater than or equal to 1',
  ],
  [
    'tool name too long',
    { modelId: CLAUDE, messages: [user()], toolConfig: { tools: [tool('x'.repeat(65))] } },
    `1 validation error detected: Value '${'x'.repeat(65)}' at 'toolConfig.tools.1.member.toolSpec.name' ` +
      'failed to satisfy constraint: Member must have length less than or equal to 64',
  ],
  [
    'temperature range',
    { modelId: CLAUDE, messages: [user()], inferenceConfig: { temperature: 1.5 } },
    "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to " +
      'satisfy constraint: Member must have value less than or equal to 1',
  ],
  [
    'maxTokens minimum',
    { modelId: CLAUDE, messages: [user()], inferenceConfig: { maxTokens: 0 } },
    "1 validation error detected: Value '0' at 'inferenceConfig.maxTokens' failed to " +
      'satisfy constraint: Member must have value greater than or equal to 1',
  ],
  // Bedrock semantic rules (0-based paths).
  [
    'empty content',
    { modelId: CLAUDE, messages: [user(), { role: 'assistant', content: [] }, user()] },
    'The content field in the Message object at messages.1 is empty. Add a ' +
      'ContentBlock object to the content field and try again.',
  ],
  [
    'reasoning in user turn',
    {
      modelId: CLAUDE,
      messages: [{ role: 'user', content: [{ reasoningContent: { reasoningText: { text: 'hm' } } }] }],
    },
    'User messages cannot contain reasoning content. Please remove the reasoning content and try again.',
  ],
  [
    'toolUse input not an object',
    { modelId: CLAUDE, messages: exchange([result()], [use('a', 'lookup', 'text')]), toolConfig: { tools: [tool()] } },
    'The format of the value at messages.1.content.0.toolUse.input is invalid. ' +
      'Provide a json object for the field and try again.',
  ],
  [
    'duplicate toolUse ids',
    { modelId: CLAUDE, messages: exchange([result()], [use(), use()]), toolConfig: { tools: [tool()] } },
    'The toolUse blocks at messages.1.content contain duplicate Ids: a',
  ],
  [
    'error status needs content',
    { modelId: CLAUDE, messages: exchange([result('a', [], 'error')]), toolConfig: { tools: [tool()] } },
    'The content field at messages.2.content.0.toolResult cannot be empty when status value is error.',
  ],
  [
    'json must be an object',
    { modelId: CLAUDE, messages: exchange([result('a', [{ json: [1, 2] }])]), toolConfig: { tools: [tool()] } },
    'The format of the value at messages.2.content.0.toolResult.content.0.json is ' +
      'invalid. Provide a json object for the field and try again.',
  ],
  [
    'more results than calls',
    { modelId: CLAUDE, messages: exchange([result(), result('b')]), toolConfig: { tools: [tool()] } },
    'The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn.',
  ],
  [
    'schema json not an object',
    { modelId: CLAUDE, messages: [user()], toolConfig: { tools: [tool('x', '{"type":"object"}')] } },
    'The format of the value at toolConfig.tools.0.toolSpec.inputSchema.json is ' +
      'invalid. Provide a json object for the field and try again.',
  ],
  [
    'properties null',
    {
      modelId: CLAUDE,
      messages: [user()],
      toolConfig: { tools: [tool('a'), tool('x', { type: 'object', properties: null })] },
    },
    'The json schema definition at toolConfig.tools.1.toolSpec.inputSchema is invalid. Fix the ' +
      'following errors and try again: $.properties: null found, object expected',
  ],
  // Per-model capability rules.
  [
    'toolChoice tool unsupported',
    { modelId: LLAMA, messages: [user()], toolConfig: { tools: [tool()], toolChoice: { tool: { name: 'lookup' } } } },
    "This model doesn't support the toolConfig.toolChoice.tool field. Remove toolConfig.toolChoice.tool and try again.",
  ],
  [
    'system unsupported (Titan)',
    { modelId: 'amazon.titan-text-express-v1', messages: [user()], system: [{ text: 'be brief' }] },
    "This model doesn't support system messages. Remove system and try again.",
  ],
  [
    'Nova rejects $defs',
    {
      modelId: NOVA,
      messages: [user()],
      toolConfig: {
        tools: [
          tool('x', { type: 'object', properties: { a: { $ref: '#/$defs/A' } }, $defs: { A: { type: 'string' } } }),
        ],
      },
    },
    'The model returned the following errors: Malformed input request: ' +
      '#/toolConfig/tools/0/toolSpec/inputSchema/json: extraneous key [$defs] is not permitted, please reformat ' +
      'your input and try again.',
  ],
  [
    'Nova rejects cachePoint in tools',
    { modelId: NOVA, messages: [user()], toolConfig: { tools: [tool(), { cachePoint: { type: 'default' } }] } },
    'The model returned the following errors: Malformed input request: #/toolConfig/tools/1: extraneous ' +
      'key [cachePoint] is not permitted, please reformat your input and try again.',
  ],
  [
    'Llama: text beside tool results',
    { modelId: LLAMA, messages: exchange([result(), { text: 'and?' }]), toolConfig: { tools: [tool()] } },
    'messages.2.content: Conversation blocks and tool result blocks cannot be provided in the same turn.',
  ],
  [
    'Llama: text beside tool use',
    { modelId: LLAMA, messages: exchange([result()], [{ text: 'calling' }, use()]), toolConfig: { tools: [tool()] } },
    'messages.1.content: Conversation blocks and tool use blocks cannot be provided in the same turn.',
  ],
  [
    'image for a text-only model',
    {
      modelId: LLAMA,
      messages: [
        {
          role: 'user',
          content: [{ text: 'see' }, { image: { format: 'png', source: { bytes: new Uint8Array([1]) } } }],
        },
      ],
    },
    "This model doesn't support the image field for user messages. Remove image and try again.",
  ],
  [
    'Ministral 3 tool-use ids',
    {
      modelId: 'mistral.ministral-3-14b-instruct',
      messages: exchange([result('tooluse_1')], [use('tooluse_1')]),
      toolConfig: { tools: [tool()] },
    },
    'The model returned the following errors: Tool call id was tooluse_1 ' +
      'but must be a-z, A-Z, 0-9, with a length of 9.',
  ],
  [
    'status unsupported (Writer Palmyra)',
    {
      modelId: 'us.writer.palmyra-x5-v1:0',
      messages: exchange([result('a', [{ text: 'x' }], 'success')]),
      toolConfig: { tools: [tool()] },
    },
    "This model doesn't support the toolResult.status field. Remove toolResult.status and try again.",
  ],
  [
    'image in tool results unsupported',
    {
      modelId: 'cohere.command-r-plus-v1:0',
      messages: exchange([result('a', [{ image: { format: 'png', source: { bytes: new Uint8Array([1]) } } }])]),
      toolConfig: { tools: [tool()] },
    },
    "This model doesn't support the image field in tool results. Remove image and try again.",
  ],
  [
    'tools in streams (Mistral)',
    { modelId: 'mistral.mistral-large-2407-v1:0', messages: [user()], toolConfig: { tools: [tool()] } },
    "This model doesn't support tool use in streaming mode.",
    true,
  ],
  [
    'unknown model id',
    { modelId: 'acme.brilliant-model-v1:0', messages: [user()] },
    'The provided model identifier is invalid.',
  ],
];

it.each(RULES)('rule: %s', async (_rule, input, message, stream) => {
  const command = stream ? new ConverseStreamCommand(input as never) : new ConverseCommand(input as never);
  const error = await rig.sdk.send(command as never).then(
    () => undefined,
    (e: Error & { $metadata?: { httpStatusCode?: number } }) => ({
      name: e.name,
      message: e.message,
      status: e.$metadata?.httpStatusCode,
    }),
  );
  expect(error).toEqual({ name: 'ValidationException', message, status: 400 });
});

it('lets the SDK retry throttling on its own, as it does against Bedrock', async () => {
  const retrying = new BedrockRuntimeClient({
    endpoint: rig.emulator.url,
    region: 'us-east-1',
    credentials: DUMMY_CREDENTIALS,
    maxAttempts: 3,
  });
  rig.emulator.faults.push({ kind: 'throttle' }, { kind: 'throttle' });
  const response = await retrying.send(
    new ConverseCommand({ modelId: CLAUDE, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
  );
  expect(response.$metadata.attempts).toBe(3);
  retrying.destroy();
}, 30_000);
