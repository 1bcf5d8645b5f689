/**
 * Bedrock's own rules for the conversation, first failure only, 0-based paths, in the wording users reported
 * (docs/bedrock-evidence.md, "Bedrock's own rules (all models)"). Where no wording is on record the table says so
 * and the emulator's sentence names the path and the rule.
 */
import { arr, blockKind, isObj, type Obj, type WireRequest } from './wire-request.js';

/** Document names Bedrock accepts: ASCII letters and digits, spaces, hyphens, parentheses, square brackets. */
const DOCUMENT_NAME = /^[A-Za-z0-9 ()[\]-]+$/;
const DOCUMENT_NAME_ERROR =
  'The document file name can only contain alphanumeric characters, whitespace characters, hyphens, ' +
  "parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. " +
  'Check that the file name conforms to these restrictions and retry your request.';

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
    return (
      `The number of toolResult blocks at messages.${i}.content exceeds ` +
      'the number of toolUse blocks of previous turn.'
    );
  }
  const missing = expected.filter((id) => !results.includes(id));
  if (missing.length > 0)
    return `Expected toolResult blocks at messages.${i}.content for the following Ids: ${missing.join(', ')}`;
  return undefined;
}

/** What one block breaks, if anything. */
function blockError(block: Obj, role: string, i: number, j: number): string | undefined {
  const kind = blockKind(block);
  const at = `messages.${i}.content.${j}`;
  if (kind === 'text' && typeof block['text'] === 'string' && block['text'].trim() === '') {
    return `The text field in the ContentBlock object at ${at} is blank. Add text to the text field, and try again.`;
  }
  if (kind === 'reasoningContent' && role === 'user') {
    return 'User messages cannot contain reasoning content. Please remove the reasoning content and try again.';
  }
  // Wording not on record (catalogue): the rule is the service model's, the sentence the emulator's.
  if (kind === 'toolUse' && role === 'user') {
    return `The toolUse block at ${at} is in a user message. toolUse blocks can only be in assistant messages.`;
  }
  if (kind === 'toolResult' && role === 'assistant') {
    return `The toolResult block at ${at} is in an assistant message. toolResult blocks can only be in user messages.`;
  }
  if ((kind === 'image' || kind === 'document') && role === 'assistant') {
    return `messages.${i}.content: '${kind}' blocks are not permitted within assistant turns.`;
  }
  if (kind === 'toolUse') {
    const use = block['toolUse'] as Obj;
    if (!isObj(use['input'])) {
      return (
        `The format of the value at ${at}.toolUse.input is invalid. Provide ` +
        'a json object for the field and try again.'
      );
    }
  }
  if (kind === 'toolResult') {
    const result = block['toolResult'] as Obj;
    const content = arr(result['content']);
    if (result['status'] === 'error' && content.length === 0) {
      return `The content field at ${at}.toolResult cannot be empty when status value is error.`;
    }
    for (let k = 0; k < content.length; k++) {
      const item = content[k] as Obj;
      if (blockKind(item) === 'json' && !isObj(item['json'])) {
        return (
          `The format of the value at ${at}.toolResult.content.${k}.json is invalid. ` +
          'Provide a json object for the field and try again.'
        );
      }
    }
  }
  if (kind === 'document') {
    const name = (block['document'] as Obj)['name'];
    if (typeof name === 'string' && (!DOCUMENT_NAME.test(name) || name.includes('  '))) return DOCUMENT_NAME_ERROR;
  }
  return undefined;
}

/** The first conversation rule the request breaks, in Bedrock's wording. */
export function conversationError(body: WireRequest): string | undefined {
  const messages = arr(body.messages).filter(isObj);
  if (messages[0]?.['role'] !== 'user') {
    return (
      'A conversation must start with a user message. Try again with a ' +
      'conversation that starts with a user message.'
    );
  }
  let toolBlocks = false;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Obj;
    const role = String(m['role']);
    const content = arr(m['content']);
    if (i > 0 && messages[i - 1]?.['role'] === m['role']) {
      return (
        'A conversation must alternate between user and assistant roles. Make sure the ' +
        'conversation alternates between user and assistant roles and try again.'
      );
    }
    if (content.length === 0) {
      return (
        `The content field in the Message object at messages.${i} is empty. Add a ` +
        'ContentBlock object to the content field and try again.'
      );
    }
    const ids: string[] = [];
    for (let j = 0; j < content.length; j++) {
      const block = isObj(content[j]) ? (content[j] as Obj) : {};
      const error = blockError(block, role, i, j);
      if (error) return error;
      const kind = blockKind(block);
      if (kind === 'toolUse' || kind === 'toolResult') toolBlocks = true;
      if (kind === 'toolUse') ids.push(String((block['toolUse'] as Obj)['toolUseId']));
    }
    const kinds = content.map(blockKind);
    if (kinds.includes('document') && !kinds.includes('text'))
      return 'A text block must be included when using documents.';
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate !== undefined)
      return `The toolUse blocks at messages.${i}.content contain duplicate Ids: ${duplicate}`;
    const pairing = pairingError(messages, i);
    if (pairing) return pairing;
  }
  if (toolBlocks && !isObj(body.toolConfig)) {
    return 'The toolConfig field must be defined when using toolUse and toolResult content blocks.';
  }
  return undefined;
}
