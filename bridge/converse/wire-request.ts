/**
 * Turns the canonical conversation (native Converse blocks, whatever model produced them) into the request one
 * particular model accepts. Pure: the history itself is never rewritten, so a conversation can move between
 * model families and a session saved with one model resumes with another.
 */
import { createHash } from 'node:crypto';
import type {
  ContentBlock,
  ConverseRequest,
  InferenceConfiguration,
  JsonObject,
  Message,
  SystemContentBlock,
  Tool,
  ToolChoice,
  ToolConfiguration,
  ToolResultBlock,
  ToolResultContentBlock,
} from './types.js';
import type { ModelCapabilities } from './capabilities.js';
import { renderToolCalls, renderToolResult, toolPromptText } from './tool-prompt.js';

/** What `toWireRequest` builds a request from: the canonical history and tools, and the model's capabilities. */
export interface WireRequestInput {
  modelId: string;
  caps: ModelCapabilities;
  /** A repaired history (see `repairHistory`). */
  messages: readonly Message[];
  system?: readonly SystemContentBlock[];
  /** Tools compiled for `caps`. */
  tools: readonly Tool[];
  toolChoice?: ToolChoice;
  inferenceConfig?: InferenceConfiguration;
  additionalModelRequestFields?: JsonObject;
}

/** Sent when history holds tool blocks but no tool is left: Bedrock requires toolConfig then. */
export const PLACEHOLDER_TOOL: Tool = {
  toolSpec: {
    name: 'no_tools_available',
    description: 'No tools are available any more in this conversation. Do not call this tool; answer directly.',
    inputSchema: { json: { type: 'object', properties: {} } },
  },
};

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Ministral 3 requires 9-character alphanumeric tool-use ids: any other id is mapped to one deterministically. */
export function mistralToolUseId(id: string): string {
  if (/^[a-zA-Z0-9]{9}$/.test(id)) return id;
  const digest = createHash('sha256').update(id).digest();
  let out = '';
  for (let i = 0; i < 9; i++) out += ALNUM[(digest[i] as number) % ALNUM.length];
  return out;
}

/** A name the model invented (`$READFILE`, `module.fn`, 80 characters) must not make every later request fail. */
export function replayableName(name: string): string {
  if (/^[a-zA-Z0-9_-]{1,64}$/.test(name)) return name;
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'unknown_tool';
}

function hasToolBlocks(messages: readonly Message[]): boolean {
  return messages.some((m) => m.content.some((block) => 'toolUse' in block || 'toolResult' in block));
}

function degradeToolChoice(choice: ToolChoice | undefined, caps: ModelCapabilities): ToolChoice | undefined {
  if (!choice || 'auto' in choice) return undefined;
  if ('tool' in choice) return caps.toolChoice.tool ? choice : caps.toolChoice.any ? { any: {} } : undefined;
  return caps.toolChoice.any ? choice : undefined;
}

function placeholder(kind: string): ContentBlock {
  return { text: `[${kind} omitted: this model cannot read it]` };
}

/** Keeps a user-turn block the model can read, or replaces it with a note saying what was left out. */
function userBlock(block: ContentBlock, caps: ModelCapabilities): ContentBlock {
  if ('image' in block && !caps.vision) return placeholder(`image/${block.image.format}`);
  if ('document' in block && !caps.documents) {
    const source = block.document.source;
    return 'text' in source
      ? { text: `${block.document.name}:\n${source.text}` }
      : placeholder(`document ${block.document.name}`);
  }
  return block;
}

function resultContent(block: ToolResultContentBlock, caps: ModelCapabilities): ToolResultContentBlock {
  if ('image' in block && !caps.toolResultImages) {
    return { text: `[image/${block.image.format} omitted: this model cannot read images in tool results]` };
  }
  if ('json' in block && !caps.toolResultJson) return { text: JSON.stringify(block.json) };
  if ('document' in block && !caps.documents) return { text: `[document ${block.document.name} omitted]` };
  return block;
}

/**
 * `items` mapped by `wire`, where `undefined` drops an item; the very same array when every item maps to itself.
 * The copy is made only once an item differs, so history a model accepts as it is is never copied.
 */
function mapUnchanged<T>(items: T[], wire: (item: T) => T | undefined): T[] {
  let changed: T[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    const out = wire(item);
    if (!changed && out !== item) changed = items.slice(0, i);
    if (changed && out !== undefined) changed.push(out);
  }
  return changed ?? items;
}

function nativeResult(
  result: ToolResultBlock,
  caps: ModelCapabilities,
  mapId: (id: string) => string,
): ToolResultBlock {
  const content = mapUnchanged(result.content, (block) => resultContent(block, caps));
  const toolUseId = mapId(result.toolUseId);
  // What the model accepts as it is goes out as the same object: no copy of the whole history per turn.
  const keepsStatus = caps.toolResultStatus || result.status === undefined;
  if (content === result.content && keepsStatus && toolUseId === result.toolUseId && content.length > 0) return result;
  const wire: ToolResultBlock = { toolUseId, content: content.length > 0 ? content : [{ text: '(no output)' }] };
  if (caps.toolResultStatus && result.status) wire.status = result.status;
  // Without `status` the model can only tell a failure from the words: say so first.
  else if (result.status === 'error') wire.content = [{ text: 'Error: the tool call failed.' }, ...wire.content];
  return wire;
}

function keepsBlock(block: ContentBlock, caps: ModelCapabilities): boolean {
  if ('reasoningContent' in block) return caps.family === 'anthropic' && !caps.stripReasoning;
  if ('cachePoint' in block) return caps.family === 'anthropic' || caps.family === 'nova';
  return true;
}

function blockText(block: ContentBlock): string {
  return 'text' in block ? block.text : '[non-text content omitted]';
}

function nativeBlock(
  block: ContentBlock,
  role: Message['role'],
  caps: ModelCapabilities,
  mapId: (id: string) => string,
): ContentBlock {
  if ('toolUse' in block) {
    const { name, toolUseId } = block.toolUse;
    const wireName = replayableName(name);
    const wireId = mapId(toolUseId);
    return wireName === name && wireId === toolUseId
      ? block
      : { toolUse: { ...block.toolUse, name: wireName, toolUseId: wireId } };
  }
  if ('toolResult' in block) {
    const result = nativeResult(block.toolResult, caps, mapId);
    return result === block.toolResult ? block : { toolResult: result };
  }
  return role === 'user' ? userBlock(block, caps) : block;
}

/**
 * The message as this model accepts it. A message that needs no change is returned as it is: the loop sends the
 * whole history every turn, and copying it made this the loop's largest allocation (docs/performance.md).
 */
function nativeMessage(message: Message, caps: ModelCapabilities, mapId: (id: string) => string): Message {
  const content = mapUnchanged(message.content, (block) =>
    keepsBlock(block, caps) ? nativeBlock(block, message.role, caps, mapId) : undefined,
  );
  const separated = caps.mixedToolTurns ? content : unmixed(message.role, content);
  return separated === message.content ? message : { role: message.role, content: separated };
}

/**
 * Llama and Mistral reject text beside toolUse/toolResult in one turn. The assistant's own words beside a call
 * are dropped from the wire (they stay in history); the user's words beside results ride inside the last result.
 */
function unmixed(role: Message['role'], content: ContentBlock[]): ContentBlock[] {
  const toolBlocks = content.filter((block) => 'toolUse' in block || 'toolResult' in block);
  if (toolBlocks.length === 0 || toolBlocks.length === content.length) return content;
  if (role === 'assistant') return toolBlocks;
  const words = content
    .filter((block) => !('toolResult' in block))
    .map(blockText)
    .join('\n');
  const last = toolBlocks[toolBlocks.length - 1] as { toolResult: ToolResultBlock };
  const folded = { ...last.toolResult, content: [...last.toolResult.content, { text: `User: ${words}` }] };
  return [...toolBlocks.slice(0, -1), { toolResult: folded }];
}

function promptMessage(message: Message, caps: ModelCapabilities, toolNames: ReadonlyMap<string, string>): Message {
  const content: ContentBlock[] = [];
  const calls = message.content.flatMap((block) => ('toolUse' in block ? [block.toolUse] : []));
  for (const block of message.content) {
    if ('toolUse' in block || 'reasoningContent' in block || 'cachePoint' in block) continue;
    if ('toolResult' in block) {
      const name = toolNames.get(block.toolResult.toolUseId) ?? 'unknown';
      content.push({ text: renderToolResult(block.toolResult, name) });
    } else {
      content.push(message.role === 'user' ? userBlock(block, caps) : block);
    }
  }
  if (calls.length > 0) content.push({ text: renderToolCalls(calls) });
  return { role: message.role, content };
}

function systemText(system: readonly SystemContentBlock[]): string {
  return system.flatMap((block) => ('text' in block ? [block.text] : [])).join('\n\n');
}

/** Titan and Mistral Instruct reject `system`: it becomes the opening of the first user turn. */
function foldSystem(messages: Message[], text: string): Message[] {
  const [first, ...rest] = messages;
  if (!first || text === '') return messages;
  return [{ role: first.role, content: [{ text: `<system>\n${text}\n</system>` }, ...first.content] }, ...rest];
}

/**
 * The request a model accepts, from the canonical history: each message and tool result rewritten where this
 * model differs (status, images, json, text-only tool turns, tool-use ids, the system prompt, prompt-based tools,
 * `toolChoice`), and history a model accepts as it is sent as the same objects, never copied.
 */
export function toWireRequest(input: WireRequestInput): ConverseRequest {
  const { caps } = input;
  let system = [...(input.system ?? [])];
  let messages: Message[];
  let toolConfig: ToolConfiguration | undefined;

  if (caps.toolUse === 'prompt') {
    const toolNames = new Map<string, string>();
    for (const message of input.messages) {
      for (const block of message.content)
        if ('toolUse' in block) toolNames.set(block.toolUse.toolUseId, block.toolUse.name);
    }
    messages = input.messages.map((message) => promptMessage(message, caps, toolNames));
    if (input.tools.length > 0) system = [...system, { text: toolPromptText(input.tools) }];
  } else {
    const mapId = caps.toolUseIdFormat === 'mistral9' ? mistralToolUseId : (id: string): string => id;
    messages = input.messages.map((message) => nativeMessage(message, caps, mapId));
    // Nova rejects cachePoint inside tools (it caches system and messages only).
    const offered = caps.toolCachePoint ? input.tools : input.tools.filter((t) => !('cachePoint' in t));
    const tools = offered.some((t) => 'toolSpec' in t)
      ? [...offered]
      : hasToolBlocks(input.messages)
        ? [PLACEHOLDER_TOOL]
        : [];
    if (tools.length > 0) {
      toolConfig = { tools };
      const toolChoice = tools[0] !== PLACEHOLDER_TOOL ? degradeToolChoice(input.toolChoice, caps) : undefined;
      if (toolChoice) toolConfig.toolChoice = toolChoice;
    }
  }

  if (!caps.system) {
    messages = foldSystem(messages, systemText(system));
    system = [];
  } else if (caps.family !== 'anthropic' && caps.family !== 'nova') {
    system = system.filter((block) => 'text' in block);
  }

  const request: ConverseRequest = { modelId: input.modelId, messages };
  if (system.length > 0) request.system = system;
  if (toolConfig) request.toolConfig = toolConfig;
  if (input.inferenceConfig) request.inferenceConfig = input.inferenceConfig;
  if (input.additionalModelRequestFields) request.additionalModelRequestFields = input.additionalModelRequestFields;
  return request;
}
