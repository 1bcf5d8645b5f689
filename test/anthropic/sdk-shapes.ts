/**
 * Every field the official SDK's types declare as required, checked on what the endpoint sent: the key lists are
 * tied to the SDK's declarations by `satisfies`, so a field the SDK adds or drops fails the type check first.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { expect } from 'vitest';

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type Keys<T> = Record<RequiredKeys<T>, true>;

const MESSAGE = {
  id: true,
  container: true,
  content: true,
  context_management: true,
  diagnostics: true,
  model: true,
  role: true,
  stop_details: true,
  stop_reason: true,
  stop_sequence: true,
  type: true,
  usage: true,
} satisfies Keys<Anthropic.Beta.BetaMessage> & Keys<Anthropic.Message>;

const USAGE = {
  cache_creation: true,
  cache_creation_input_tokens: true,
  cache_read_input_tokens: true,
  fallback_credit: true,
  inference_geo: true,
  input_tokens: true,
  iterations: true,
  output_tokens: true,
  output_tokens_details: true,
  server_tool_use: true,
  service_tier: true,
  speed: true,
} satisfies Keys<Anthropic.Beta.BetaUsage> & Keys<Anthropic.Usage>;

const BLOCKS: Record<string, Record<string, true>> = {
  text: { citations: true, text: true, type: true } satisfies Keys<Anthropic.TextBlock>,
  tool_use: { id: true, caller: true, input: true, name: true, type: true } satisfies Keys<Anthropic.ToolUseBlock>,
  server_tool_use: {
    id: true,
    caller: true,
    input: true,
    name: true,
    type: true,
  } satisfies Keys<Anthropic.ServerToolUseBlock>,
  code_execution_tool_result: {
    content: true,
    tool_use_id: true,
    type: true,
  } satisfies Keys<Anthropic.Beta.BetaCodeExecutionToolResultBlock>,
};
const RESULT = {
  content: true,
  return_code: true,
  stderr: true,
  stdout: true,
  type: true,
} satisfies Keys<Anthropic.Beta.BetaCodeExecutionResultBlock>;
const CONTAINER = { id: true, expires_at: true, skills: true } satisfies Keys<Anthropic.Beta.BetaContainer>;

const has = (value: object, keys: Record<string, true>, what: string): void => {
  for (const key of Object.keys(keys)) expect(value, `${what} lacks ${key}`).toHaveProperty(key);
};

/** Asserts the message has every field its SDK type requires, in itself, its usage, blocks and container. */
export function expectSdkShape(message: Anthropic.Beta.BetaMessage | Anthropic.Message): void {
  has(message, MESSAGE, 'message');
  has(message.usage, USAGE, 'usage');
  for (const block of message.content) {
    const keys = BLOCKS[block.type];
    expect(keys, `a ${block.type} block`).toBeDefined();
    has(block, keys as Record<string, true>, `${block.type} block`);
    if (block.type === 'code_execution_tool_result') has(block.content, RESULT, 'code_execution_result');
  }
  if (message.container) has(message.container, CONTAINER, 'container');
}
