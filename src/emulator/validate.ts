/**
 * Request validation in Bedrock's order (converse-api.md §2.3–2.4, §4, §8): Coral shape constraints first
 * (all of them, counted, 1-based `.member.` paths), then Bedrock's semantic rules (first failure, 0-based
 * paths), then what the model itself rejects. Messages are the real ones users reported.
 */
import { validation, type BedrockError } from '../http/bedrock-errors.js';
import type { ModelTraits } from './model-traits.js';
import { claudeSchemaError } from './schema-rules.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

export interface WireRequest {
  messages?: Json;
  system?: Json;
  toolConfig?: Json;
  inferenceConfig?: Json;
}

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const NAME = /^[a-zA-Z0-9_-]+$/;

/** Coral constraint violations: every one is reported, as Coral does. */
function coral(body: WireRequest): string[] {
  const errors: string[] = [];
  const violate = (path: string, rule: string, value?: string): void => {
    errors.push(
      `Value ${value === undefined ? '' : `${value} `}at '${path}' failed to satisfy constraint: Member must ${rule}`,
    );
  };
  if (!Array.isArray(body.messages)) violate('messages', 'not be null', 'null');
  arr(body.messages).forEach((m, i) => {
    const path = `messages.${i + 1}.member`;
    if (!isObj(m)) return;
    if (m['role'] !== 'user' && m['role'] !== 'assistant') {
      violate(`${path}.role`, 'satisfy enum value set: [user, assistant]', `'${String(m['role'])}'`);
    }
    arr(m['content']).forEach((block, j) => {
      const toolUse = isObj(block) ? block['toolUse'] : undefined;
      if (isObj(toolUse) && typeof toolUse['name'] === 'string') {
        const name = toolUse['name'];
        const at = `${path}.content.${j + 1}.member.toolUse.name`;
        if (name.length > 64) violate(at, 'have length less than or equal to 64');
        if (!NAME.test(name)) violate(at, 'satisfy regular expression pattern: [a-zA-Z0-9_-]+');
      }
    });
  });
  arr(body.system).forEach((s, i) => {
    if (isObj(s) && typeof s['text'] === 'string' && s['text'].length === 0) {
      violate(`system.${i + 1}.member.text`, 'have length greater than or equal to 1', "''");
    }
  });
  if (isObj(body.toolConfig)) {
    const tools = body.toolConfig['tools'];
    if (Array.isArray(tools) && tools.length === 0)
      violate('toolConfig.tools', 'have length greater than or equal to 1', "'[]'");
    arr(tools).forEach((t, i) => {
      const spec = isObj(t) ? t['toolSpec'] : undefined;
      if (!isObj(spec)) return;
      const at = `toolConfig.tools.${i + 1}.member.toolSpec`;
      const name = typeof spec['name'] === 'string' ? spec['name'] : '';
      if (!NAME.test(name)) violate(`${at}.name`, 'satisfy regular expression pattern: [a-zA-Z0-9_-]+', `'${name}'`);
      if (name.length < 1) violate(`${at}.name`, 'have length greater than or equal to 1', `'${name}'`);
      if (name.length > 64) violate(`${at}.name`, 'have length less than or equal to 64', `'${name}'`);
      if (spec['description'] === '') violate(`${at}.description`, 'have length greater than or equal to 1', "''");
    });
  }
  if (isObj(body.inferenceConfig)) {
    const { temperature, maxTokens } = body.inferenceConfig;
    if (typeof temperature === 'number' && (temperature < 0 || temperature > 1)) {
      violate(
        'inferenceConfig.temperature',
        `have value ${temperature < 0 ? 'greater than or equal to 0' : 'less than or equal to 1'}`,
        `'${temperature}'`,
      );
    }
    if (typeof maxTokens === 'number' && maxTokens < 1)
      violate('inferenceConfig.maxTokens', 'have value greater than or equal to 1', `'${maxTokens}'`);
  }
  return errors;
}

function blockKind(block: Json): string {
  return isObj(block) ? (Object.keys(block)[0] ?? '') : '';
}

function semantic(body: WireRequest): string | undefined {
  const messages = arr(body.messages).filter(isObj);
  if (messages[0]?.['role'] !== 'user') {
    return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  }
  let toolBlocks = false;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Obj;
    const content = arr(m['content']);
    if (i > 0 && messages[i - 1]?.['role'] === m['role']) {
      return 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
    }
    if (content.length === 0) {
      return `The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`;
    }
    const ids: string[] = [];
    for (let j = 0; j < content.length; j++) {
      const block = content[j] as Obj;
      const kind = blockKind(block);
      if (kind === 'text' && typeof block['text'] === 'string' && block['text'].trim() === '') {
        return `The text field in the ContentBlock object at messages.${i}.content.${j} is blank. Add text to the text field, and try again.`;
      }
      if (kind === 'reasoningContent' && m['role'] === 'user') {
        return 'User messages cannot contain reasoning content. Please remove the reasoning content and try again.';
      }
      if (kind === 'toolUse') {
        toolBlocks = true;
        const use = block['toolUse'] as Obj;
        if (!isObj(use['input'])) {
          return `The format of the value at messages.${i}.content.${j}.toolUse.input is invalid. Provide a json object for the field and try again.`;
        }
        ids.push(String(use['toolUseId']));
      }
      if (kind === 'toolResult') {
        toolBlocks = true;
        const result = block['toolResult'] as Obj;
        const resultContent = arr(result['content']);
        if (result['status'] === 'error' && resultContent.length === 0) {
          return `The content field at messages.${i}.content.${j}.toolResult cannot be empty when status value is error.`;
        }
        for (let k = 0; k < resultContent.length; k++) {
          const item = resultContent[k] as Obj;
          if (blockKind(item) === 'json' && !isObj(item['json'])) {
            return `The format of the value at messages.${i}.content.${j}.toolResult.content.${k}.json is invalid. Provide a json object for the field and try again.`;
          }
        }
      }
    }
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate !== undefined)
      return `The toolUse blocks at messages.${i}.content contain duplicate Ids: ${duplicate}`;
    const pairing = pairingError(messages, i);
    if (pairing) return pairing;
  }
  if (toolBlocks && !isObj(body.toolConfig)) {
    return 'The toolConfig field must be defined when using toolUse and toolResult content blocks.';
  }
  if (isObj(body.toolConfig)) {
    const tools = arr(body.toolConfig['tools']);
    for (let i = 0; i < tools.length; i++) {
      const spec = isObj(tools[i]) ? (tools[i] as Obj)['toolSpec'] : undefined;
      if (!isObj(spec)) continue;
      const schema = isObj(spec['inputSchema']) ? spec['inputSchema']['json'] : undefined;
      if (!isObj(schema)) {
        return `The format of the value at toolConfig.tools.${i}.toolSpec.inputSchema.json is invalid. Provide a json object for the field and try again.`;
      }
      if (schema['type'] !== 'object') {
        return `The value at toolConfig.tools.${i}.toolSpec.inputSchema.json.type must be one of the following: object.`;
      }
      if ('properties' in schema && !isObj(schema['properties'])) {
        return `The json schema definition at toolConfig.tools.${i}.toolSpec.inputSchema is invalid. Fix the following errors and try again: $.properties: ${schema['properties'] === null ? 'null' : typeof schema['properties']} found, object expected`;
      }
    }
  }
  return undefined;
}

/** A user turn after toolUse must answer exactly those ids; results may not answer anything else. */
function pairingError(messages: Obj[], i: number): string | undefined {
  const m = messages[i] as Obj;
  if (m['role'] !== 'user') return undefined;
  const previous = i > 0 ? arr((messages[i - 1] as Obj)['content']) : [];
  const expected = previous
    .filter((b) => blockKind(b) === 'toolUse')
    .map((b) => String(((b as Obj)['toolUse'] as Obj)['toolUseId']));
  const results = arr(m['content'])
    .filter((b) => blockKind(b) === 'toolResult')
    .map((b) => String(((b as Obj)['toolResult'] as Obj)['toolUseId']));
  if (results.length > expected.length) {
    return `The number of toolResult blocks at messages.${i}.content exceeds the number of toolUse blocks of previous turn.`;
  }
  const missing = expected.filter((id) => !results.includes(id));
  if (missing.length > 0)
    return `Expected toolResult blocks at messages.${i}.content for the following Ids: ${missing.join(', ')}`;
  return undefined;
}

function capability(body: WireRequest, traits: ModelTraits, stream: boolean): string | undefined {
  const tc = isObj(body.toolConfig) ? body.toolConfig : undefined;
  if (tc && !traits.tools) return "This model doesn't support tool use.";
  if (tc && stream && !traits.streamingTools) return "This model doesn't support tool use in streaming mode.";
  const choice = tc && isObj(tc['toolChoice']) ? tc['toolChoice'] : undefined;
  if (choice && 'any' in choice && !traits.choiceAny) {
    return "This model doesn't support the toolConfig.toolChoice.any field. Remove toolConfig.toolChoice.any and try again.";
  }
  if (choice && 'tool' in choice && !traits.choiceTool) {
    return "This model doesn't support the toolConfig.toolChoice.tool field. Remove toolConfig.toolChoice.tool and try again.";
  }
  if (body.system !== undefined && !traits.system)
    return "This model doesn't support system messages. Remove system and try again.";
  if (tc && traits.strictSchemas) {
    const tools = arr(tc['tools']);
    for (let i = 0; i < tools.length; i++) {
      const t = tools[i] as Obj;
      if ('cachePoint' in t)
        return `This model doesn't support the toolConfig.tools.${i}.cachePoint field. Remove toolConfig.tools.${i}.cachePoint and try again.`;
      const text = JSON.stringify(t);
      if (text.includes('"$defs"') || text.includes('"$ref"') || text.includes('"definitions"')) {
        return `The json schema definition at toolConfig.tools.${i}.toolSpec.inputSchema is invalid. Fix the following errors and try again: $.$defs: is not supported by this model`;
      }
    }
  }
  const messages = arr(body.messages).filter(isObj);
  for (let i = 0; i < messages.length; i++) {
    const content = arr((messages[i] as Obj)['content']);
    const kinds = content.map(blockKind);
    if (
      traits.separateToolTurns &&
      kinds.some((k) => k === 'toolResult' || k === 'toolUse') &&
      kinds.some((k) => k !== 'toolResult' && k !== 'toolUse')
    ) {
      const what = kinds.includes('toolResult') ? 'tool result' : 'tool use';
      return `messages.${i}.content: Conversation blocks and ${what} blocks cannot be provided in the same turn.`;
    }
    for (const block of content) {
      if (blockKind(block) === 'image' && !traits.vision)
        return "This model doesn't support the image field for user messages. Remove image and try again.";
      const use = isObj(block) ? block['toolUse'] : undefined;
      if (isObj(use) && traits.nineCharIds && !/^[a-zA-Z0-9]{9}$/.test(String(use['toolUseId']))) {
        return `The model returned the following errors: Tool call id was ${String(use['toolUseId'])} but must be a-z, A-Z, 0-9, with a length of 9.`;
      }
      const result = isObj(block) ? block['toolResult'] : undefined;
      if (!isObj(result)) continue;
      if ('status' in result && !traits.toolResultStatus) {
        return "This model doesn't support the toolResult.status field. Remove toolResult.status and try again.";
      }
      if (arr(result['content']).some((c) => blockKind(c) === 'image') && !traits.toolResultImages) {
        return "This model doesn't support the image field in tool results. Remove image and try again.";
      }
    }
  }
  return undefined;
}

/** The first error Bedrock would answer with, or undefined when the request is accepted. */
export function validateRequest(body: WireRequest, traits: ModelTraits, stream: boolean): BedrockError | undefined {
  const shape = coral(body);
  if (shape.length > 0) {
    return validation(`${shape.length} validation error${shape.length === 1 ? '' : 's'} detected: ${shape.join('; ')}`);
  }
  const message =
    semantic(body) ??
    capability(body, traits, stream) ??
    (traits.claudeSchemas ? claudeSchemaError(body.toolConfig) : undefined);
  return message === undefined ? undefined : validation(message);
}
