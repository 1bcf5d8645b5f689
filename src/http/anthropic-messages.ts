/**
 * Bedrock's Anthropic Claude Messages body (InvokeModel; docs/bedrock-evidence.md, "InvokeModel with Anthropic
 * Claude") and Converse, both ways: the body read as the Converse request it means, Converse content written back
 * as Anthropic content blocks, and a whole message as InvokeModelWithResponseStream's `chunk` events. Shared by the
 * emulator, whose scenarios are written for Converse, and the gateway, whose tool loop runs on Converse
 * (docs/emulator.md, "InvokeModel"; README, "Gateway mode").
 */
import { randomBytes } from 'node:crypto';
import { isJsonObject } from '../../bridge/entries/converse.js';
import type { JsonObject, JsonValue, TokenUsage, Tool, ToolChoice } from '../../bridge/index.js';
import { textPieces } from './event-stream.js';

type Obj = JsonObject;

/** A body that has no Converse equivalent here, with the member that has none. */
export class MessagesTranslationError extends Error {
  readonly code = 'MESSAGES_UNTRANSLATABLE';
}

/** The Converse request members a Messages body means (wire JSON: binary fields as base64). */
export interface ConverseParts {
  messages: Obj[];
  system?: Obj[];
  toolConfig?: Obj;
  inferenceConfig?: Obj;
  /** The body's members Converse has no field for (`anthropic_beta`, `top_k`, `thinking`, …), passed to Claude. */
  additionalModelRequestFields?: Obj;
}

const INFERENCE: Record<string, string> = {
  max_tokens: 'maxTokens',
  temperature: 'temperature',
  top_p: 'topP',
  stop_sequences: 'stopSequences',
};
/** Members that are Bedrock's envelope, not Claude's: read here or dropped (`anthropic_version`). */
const TRANSLATED = new Set([
  'anthropic_version',
  'messages',
  'system',
  'tools',
  'tool_choice',
  ...Object.keys(INFERENCE),
]);

const list = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);
const blocksOf = (content: JsonValue | undefined): Obj[] =>
  typeof content === 'string' ? [{ type: 'text', text: content }] : list(content).filter(isJsonObject);

/**
 * The Anthropic model name of a Bedrock id: `us.anthropic.claude-3-sonnet-20240229-v1:0` → `claude-3-sonnet-20240229`.
 */
export function anthropicModelName(modelId: string): string {
  const base = modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  return base.replace(/^(?:[a-z]{2,6}(?:-[a-z]+)?\.)?anthropic\./, '').replace(/-v\d+(?::\d+)?$/, '');
}

function image(block: Obj, where: string): Obj {
  const source = isJsonObject(block['source']) ? block['source'] : {};
  if (source['type'] !== 'base64' || typeof source['media_type'] !== 'string') {
    throw new MessagesTranslationError(`${where}: only base64 images translate to Converse`);
  }
  return { image: { format: source['media_type'].replace(/^image\//, ''), source: { bytes: source['data'] ?? '' } } };
}

/** Whether what has no Converse equivalent is an error (the gateway) or left out (the emulator's reading). */
interface Mode {
  strict: boolean;
}

function untranslatable(mode: Mode, what: string): Obj[] {
  if (mode.strict) throw new MessagesTranslationError(what);
  return [];
}

function resultContent(content: JsonValue | undefined, where: string, mode: Mode): Obj[] {
  return blocksOf(content).flatMap((b, i) => {
    if (b['type'] === 'text') return [{ text: String(b['text'] ?? '') }];
    if (b['type'] === 'image') return [image(b, `${where}.content.${i}`)];
    return untranslatable(mode, `${where}.content.${i}: a ${String(b['type'])} block in a tool_result`);
  });
}

function converseBlock(block: Obj, where: string, mode: Mode): Obj[] {
  switch (block['type']) {
    case 'text':
      return [{ text: String(block['text'] ?? '') }];
    case 'image':
      return [image(block, where)];
    case 'tool_use':
      return [
        { toolUse: { toolUseId: String(block['id']), name: String(block['name']), input: block['input'] ?? {} } },
      ];
    case 'tool_result': {
      const result: Obj = {
        toolUseId: String(block['tool_use_id']),
        content: resultContent(block['content'], where, mode),
      };
      if (block['is_error'] === true) result['status'] = 'error';
      return [{ toolResult: result }];
    }
    case 'thinking': {
      const reasoningText: Obj = { text: String(block['thinking'] ?? '') };
      if (typeof block['signature'] === 'string') reasoningText['signature'] = block['signature'];
      return [{ reasoningContent: { reasoningText } }];
    }
    case 'redacted_thinking':
      return [{ reasoningContent: { redactedContent: String(block['data'] ?? '') } }];
    default:
      return untranslatable(mode, `${where}: a ${String(block['type'])} block`);
  }
}

/**
 * A custom tool of a Messages request as Converse's tool, the description only when it is a string (shared with
 * the Anthropic endpoint, src/anthropic/to-converse.ts).
 */
export function converseTool(name: string, description: unknown, inputSchema: JsonObject): Tool {
  return {
    toolSpec: { name, ...(typeof description === 'string' && { description }), inputSchema: { json: inputSchema } },
  };
}

/** A Messages `tool_choice` as Converse's: `any` and `tool` have one; `auto` and `none` leave it out. */
export function converseToolChoice(choice: { type?: unknown; name?: unknown } | undefined): ToolChoice | undefined {
  if (choice?.type === 'any') return { any: {} };
  if (choice?.type === 'tool') return { tool: { name: String(choice.name) } };
  return undefined;
}

function toolConfig(body: Obj, mode: Mode): Obj | undefined {
  const tools = list(body['tools'])
    .filter(isJsonObject)
    .flatMap((tool, i): Obj[] => {
      if (tool['type'] !== undefined && tool['type'] !== 'custom') {
        return untranslatable(mode, `tools.${i}: the ${String(tool['type'])} tool`);
      }
      const schema = (tool['input_schema'] ?? {}) as Obj;
      return [converseTool(String(tool['name']), tool['description'], schema) as unknown as Obj];
    });
  if (tools.length === 0) return undefined;
  const choice = converseToolChoice(isJsonObject(body['tool_choice']) ? body['tool_choice'] : undefined);
  return { tools, ...(choice && { toolChoice: choice as unknown as Obj }) };
}

/**
 * The Converse request a Messages body means. What has no equivalent (documents, server tools, …) throws
 * `MessagesTranslationError`, or with `strict: false` is left out.
 */
export function toConverseParts(body: Obj, mode: Mode = { strict: true }): ConverseParts {
  const messages = list(body['messages'])
    .filter(isJsonObject)
    .map((m, i) => ({
      role: m['role'] ?? 'user',
      content: blocksOf(m['content']).flatMap((b, j) => converseBlock(b, `messages.${i}.content.${j}`, mode)),
    }));
  const system = blocksOf(body['system']).map((b) => ({ text: String(b['text'] ?? '') }));
  const inference = Object.fromEntries(
    Object.entries(INFERENCE).flatMap(([from, to]) => (body[from] === undefined ? [] : [[to, body[from]]])),
  ) as Obj;
  const extra = Object.fromEntries(Object.entries(body).filter(([key]) => !TRANSLATED.has(key))) as Obj;
  const tools = toolConfig(body, mode);
  return {
    messages,
    ...(system.length > 0 && { system }),
    ...(tools && { toolConfig: tools }),
    ...(Object.keys(inference).length > 0 && { inferenceConfig: inference }),
    ...(Object.keys(extra).length > 0 && { additionalModelRequestFields: extra }),
  };
}

/** Converse content blocks as Anthropic's (text, tool_use, thinking); tool-use ids are kept. */
export function anthropicContent(content: readonly Obj[]): Obj[] {
  return content.flatMap((block): Obj[] => {
    if (typeof block['text'] === 'string') return [{ type: 'text', text: block['text'] }];
    if (isJsonObject(block['toolUse'])) {
      const use = block['toolUse'];
      return [{ type: 'tool_use', id: String(use['toolUseId']), name: String(use['name']), input: use['input'] ?? {} }];
    }
    const reasoning = isJsonObject(block['reasoningContent']) ? block['reasoningContent'] : undefined;
    if (reasoning && isJsonObject(reasoning['reasoningText'])) {
      const { text, signature } = reasoning['reasoningText'];
      return [{ type: 'thinking', thinking: String(text ?? ''), signature: String(signature ?? '') }];
    }
    if (reasoning && typeof reasoning['redactedContent'] === 'string') {
      return [{ type: 'redacted_thinking', data: reasoning['redactedContent'] }];
    }
    return [];
  });
}

/** Token counts in Anthropic's words (InvokeModel's Messages response and the Anthropic endpoint's). */
export interface MessagesUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** Converse's token counts in Anthropic's words (a cache count Converse left out is 0). */
export const messagesUsage = (usage: TokenUsage): MessagesUsage => ({
  input_tokens: usage.inputTokens,
  cache_creation_input_tokens: usage.cacheWriteInputTokens ?? 0,
  cache_read_input_tokens: usage.cacheReadInputTokens ?? 0,
  output_tokens: usage.outputTokens,
});

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A Bedrock Anthropic id: `msg_bdrk_01` or `toolu_bdrk_01` and 22 base62 characters. */
export const bedrockAnthropicId = (prefix: 'msg' | 'toolu'): string =>
  `${prefix}_bdrk_01${Array.from(randomBytes(22), (byte) => BASE62[byte % BASE62.length]).join('')}`;

/** A whole Messages response. */
export function messagesResponse(modelId: string, content: Obj[], stopReason: string, usage: MessagesUsage): Obj {
  return {
    id: bedrockAnthropicId('msg'),
    type: 'message',
    role: 'assistant',
    model: anthropicModelName(modelId),
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { ...usage },
  };
}

/**
 * A Messages response as Anthropic's stream events, in order, the last (`message_stop`) carrying Bedrock's
 * `amazon-bedrock-invocationMetrics`.
 */
export function* messagesStreamEvents(message: Obj): Generator<Obj> {
  const usage = (isJsonObject(message['usage']) ? message['usage'] : {}) as unknown as MessagesUsage;
  yield {
    type: 'message_start',
    message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
  };
  for (const [index, block] of list(message['content']).filter(isJsonObject).entries()) {
    if (block['type'] === 'text') {
      yield { type: 'content_block_start', index, content_block: { type: 'text', text: '' } };
      for (const piece of textPieces(String(block['text']))) {
        yield { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } };
      }
    } else if (block['type'] === 'tool_use') {
      const { input, ...head } = block;
      yield { type: 'content_block_start', index, content_block: { ...head, input: {} } };
      const json = JSON.stringify(input ?? {});
      for (let i = 0; i < json.length; i += 20) {
        const partial = json.slice(i, i + 20);
        yield { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: partial } };
      }
    } else if (block['type'] === 'thinking') {
      yield { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '' } };
      yield {
        type: 'content_block_delta',
        index,
        delta: { type: 'thinking_delta', thinking: block['thinking'] ?? '' },
      };
      yield {
        type: 'content_block_delta',
        index,
        delta: { type: 'signature_delta', signature: block['signature'] ?? '' },
      };
    } else {
      yield { type: 'content_block_start', index, content_block: block };
    }
    yield { type: 'content_block_stop', index };
  }
  yield {
    type: 'message_delta',
    delta: { stop_reason: message['stop_reason'] ?? null, stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  };
  yield {
    type: 'message_stop',
    'amazon-bedrock-invocationMetrics': {
      inputTokenCount: usage.input_tokens,
      outputTokenCount: usage.output_tokens,
      invocationLatency: 5,
      firstByteLatency: 2,
    },
  };
}

/** One stream event as the `chunk` payload that carries it: `{"bytes": base64 of its JSON}`. */
export const chunkPayload = (event: Obj): Obj => ({ bytes: Buffer.from(JSON.stringify(event)).toString('base64') });
