/**
 * InvokeModel's Anthropic Claude Messages body (`anthropic_version: "bedrock-2023-05-31"`, `max_tokens`, `system`,
 * `messages`, `tools`, …) checked as the emulated Bedrock checks it, with Bedrock's own error texts
 * (docs/bedrock-evidence.md, "InvokeModel with Anthropic Claude"). An accepted body is then read as the Converse
 * request it means (src/http/anthropic-messages.ts), so InvokeModel and Converse answer from the same scenarios.
 */
import { validation, type BedrockError } from '../http/bedrock-errors.js';
import { anthropicModelName } from '../http/anthropic-messages.js';
import type { ModelTraits } from './model-traits.js';
import { arr, isObj, type Json, type Obj } from './wire-request.js';

/** The top-level members Bedrock's Anthropic Messages schema accepts (AWS, "Anthropic Claude Messages API"). */
const MEMBERS = new Set([
  'anthropic_version',
  'anthropic_beta',
  'max_tokens',
  'system',
  'messages',
  'temperature',
  'top_p',
  'top_k',
  'tools',
  'tool_choice',
  'stop_sequences',
  'thinking',
  'metadata',
]);
const REQUIRED = ['anthropic_version', 'max_tokens', 'messages'];
const MALFORMED = 'Malformed input request: ';
const REFORMAT = ', please reformat your input and try again.';
/** What Bedrock's schema adds when a body with `messages` fails it (the text-completion branch's `not`). */
const NOT_PROMPT = '#: subject must not be valid against schema {"required":["messages"]}';

/** Claude 3.x validates the body with Bedrock's JSON schema; Claude 4 and later pass extra members to Anthropic's. */
const schemaChecksMembers = (modelId: string): boolean => /^claude-3/.test(anthropicModelName(modelId));

/** The first error Bedrock answers an Anthropic Messages body with, or undefined when it is accepted. */
export function invokeBodyError(body: Obj, modelId: string, traits: ModelTraits): BedrockError | undefined {
  const name = anthropicModelName(modelId);
  // The emulator models Claude's Messages body only (docs/emulator.md, "InvokeModel").
  if (traits.family !== 'anthropic' || traits.textToolCalls) {
    return validation(
      `mcp-bedrock emulator: InvokeModel is modelled for Anthropic Claude 3 and later (the ` +
        `Messages body) only, not for ${modelId}; use Converse for this model.`,
    );
  }
  if (!('messages' in body) && 'prompt' in body) {
    return validation(`"${name}" is not supported on this API. Please use the Messages API instead.`);
  }
  const missing = REQUIRED.filter((key) => !(key in body));
  const extra = Object.keys(body).filter((key) => !MEMBERS.has(key));
  const schema = schemaChecksMembers(modelId);
  const violations = [
    ...missing.map((key) => `#: required key [${key}] not found`),
    ...(schema ? extra.map((key) => `#: extraneous key [${key}] is not permitted`) : []),
  ];
  if (violations.length > 0) {
    const prefix = 'messages' in body ? NOT_PROMPT : '';
    return validation(`${MALFORMED}${prefix}${violations.join('')}${REFORMAT}`);
  }
  const [first] = extra;
  if (first !== undefined) return validation(`${first}: Extra inputs are not permitted`);
  return conversationError(arr(body['messages']));
}

const blocksOf = (content: Json | undefined): Obj[] =>
  typeof content === 'string' ? [{ type: 'text', text: content }] : arr(content).filter(isObj);

/** Anthropic's conversation rules as Claude through InvokeModel answers them (no pass-through prefix). */
function conversationError(messages: Json[]): BedrockError | undefined {
  for (const [i, message] of messages.entries()) {
    const previous = messages[i - 1];
    if (!isObj(message) || !isObj(previous)) continue;
    if (message['role'] === previous['role']) {
      return validation(
        `messages: roles must alternate between "user" and "assistant", but found ` +
          `multiple "${String(message['role'])}" roles in a row`,
      );
    }
  }
  for (const [i, message] of messages.entries()) {
    if (!isObj(message) || message['role'] !== 'assistant') continue;
    const ids = blocksOf(message['content']).flatMap((b) => (b['type'] === 'tool_use' ? [String(b['id'])] : []));
    const next = messages[i + 1];
    if (ids.length === 0 || next === undefined) continue;
    const answered = new Set(
      blocksOf(isObj(next) ? next['content'] : undefined).flatMap((b) =>
        b['type'] === 'tool_result' ? [String(b['tool_use_id'])] : [],
      ),
    );
    const unanswered = ids.filter((id) => !answered.has(id));
    if (unanswered.length > 0) {
      return validation(
        `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks ` +
          `immediately after: ${unanswered.join(', ')}. Each \`tool_use\` block must have a ` +
          `corresponding \`tool_result\` block in the next message.`,
      );
    }
  }
  return undefined;
}
