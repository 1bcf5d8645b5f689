/**
 * Anthropic Messages requests as Converse (docs/anthropic.md, "What is translated"): the system prompt, the
 * messages, sampling settings and tools. With a code-execution tool the model is offered one `execute_code`
 * tool instead, and the tools whose `allowed_callers` name the code-execution tool become Python functions of the
 * program. A finished program in the history (`server_tool_use` and its `code_execution_tool_result`) becomes an
 * `execute_code` call and its result; the calls the program made and their results are left out: the model
 * never saw them.
 */
import type {
  ContentBlock,
  ImageFormat,
  InferenceConfiguration,
  JsonObject,
  Message,
  SystemContentBlock,
  Tool,
  ToolChoice,
  ToolResultContentBlock,
} from '../../bridge/index.js';
import { converseTool, converseToolChoice } from '../http/anthropic-messages.js';
import type { CodeTool } from '../sandbox/index.js';
import type {
  AnthropicBlock,
  AnthropicMessage,
  CodeExecutionType,
  CountTokensRequest,
  CustomToolParam,
  MessagesRequest,
} from './messages-schema.js';

/** A request that cannot be translated; answered as `invalid_request_error` naming the field. */
export class TranslationError extends Error {
  /** Stable code for callers that branch on it. */
  readonly code = 'ANTHROPIC_INVALID_REQUEST';
}

/** What the request's tools are on the Converse side. */
export interface RequestTools {
  /** Client tools the model calls directly (their calls go back to the client). */
  direct: Tool[];
  /** Client tools the program may call (each call goes back to the client while the program waits). */
  programmatic: CodeTool[];
  /** The code-execution tool, when the request has one. */
  codeExecution?: { type: CodeExecutionType; name: string };
}

/** The Converse side of a request. */
export interface ConverseParts {
  messages: Message[];
  system?: SystemContentBlock[];
  inferenceConfig?: InferenceConfiguration;
  toolChoice?: ToolChoice;
  additionalModelRequestFields?: JsonObject;
  tools: RequestTools;
}

const cachePoint = (b: { cache_control?: { ttl?: '5m' | '1h' } | null }): ContentBlock[] =>
  b.cache_control
    ? [{ cachePoint: { type: 'default', ...(b.cache_control.ttl && { ttl: b.cache_control.ttl }) } }]
    : [];

const bytes = (data: string): Uint8Array => new Uint8Array(Buffer.from(data, 'base64'));

function resultContent(block: Extract<AnthropicBlock, { type: 'tool_result' }>): ToolResultContentBlock[] {
  const content = block.content ?? '';
  if (typeof content === 'string') return [{ text: content }];
  return content.flatMap((b): ToolResultContentBlock[] => {
    if (b.type === 'text') return [{ text: b.text }];
    if (b.type === 'image')
      return [
        { image: { format: b.source.media_type.slice(6) as ImageFormat, source: { bytes: bytes(b.source.data) } } },
      ];
    return [{ document: documentOf(b) }];
  });
}

function documentOf(b: Extract<AnthropicBlock, { type: 'document' }>) {
  const name = (b.title ?? 'document').replace(/[^A-Za-z0-9 ()[\]-]/g, ' ').trim() || 'document';
  return b.source.type === 'base64'
    ? { format: 'pdf' as const, name, source: { bytes: bytes(b.source.data) } }
    : { format: 'txt' as const, name, source: { text: b.source.data } };
}

/** The program's stdout and stderr as the model read them when it ran (and reads them again). */
export function programOutput(stdout: string, stderr: string, returnCode: number): string {
  const parts = [stdout.trimEnd()];
  if (stderr.trim() !== '') parts.push(`stderr:\n${stderr.trimEnd()}`);
  if (returnCode !== 0) parts.push(`return code: ${returnCode}`);
  return parts.filter((p) => p !== '').join('\n\n') || '(the program printed nothing)';
}

/** The Converse name the model calls programs by. */
export const EXECUTE_CODE_TOOL = 'execute_code';

/** The messages as Converse messages (consecutive turns of one role merged). */
export function toConverseMessages(messages: readonly AnthropicMessage[]): Message[] {
  const out: Message[] = [];
  const push = (role: 'user' | 'assistant', content: ContentBlock[]): void => {
    if (content.length === 0) return;
    const last = out[out.length - 1];
    if (last?.role === role) last.content.push(...content);
    else out.push({ role, content });
  };
  // Calls a program made, and so their results, are not the model's: they are left out of its history.
  const programmatic = new Set<string>();
  for (const message of messages) {
    if (typeof message.content === 'string') {
      push(message.role, [{ text: message.content }]);
      continue;
    }
    let pending: ContentBlock[] = [];
    for (const block of message.content) {
      switch (block.type) {
        case 'text':
          if (block.text !== '') pending.push({ text: block.text }, ...cachePoint(block));
          break;
        case 'image':
          pending.push(
            {
              image: {
                format: block.source.media_type.slice(6) as ImageFormat,
                source: { bytes: bytes(block.source.data) },
              },
            },
            ...cachePoint(block),
          );
          break;
        case 'document':
          pending.push({ document: documentOf(block) }, ...cachePoint(block));
          break;
        case 'thinking':
          pending.push({ reasoningContent: { reasoningText: { text: block.thinking, signature: block.signature } } });
          break;
        case 'redacted_thinking':
          pending.push({ reasoningContent: { redactedContent: bytes(block.data) } });
          break;
        case 'tool_use':
          if (block.caller && block.caller.type !== 'direct') programmatic.add(block.id);
          else pending.push({ toolUse: { toolUseId: block.id, name: block.name, input: block.input as JsonObject } });
          break;
        case 'server_tool_use':
          pending.push({
            toolUse: {
              toolUseId: block.id,
              name: EXECUTE_CODE_TOOL,
              input: { code: String(block.input['code'] ?? '') },
            },
          });
          break;
        case 'code_execution_tool_result': {
          // Anthropic puts the result in the assistant turn; Converse wants it in a user turn of its own.
          push(message.role, pending);
          pending = [];
          const c = block.content;
          const text =
            c.type === 'code_execution_result'
              ? programOutput(c.stdout, c.stderr, c.return_code)
              : `error: ${c.error_code}`;
          const ok = c.type === 'code_execution_result' && c.return_code === 0;
          push('user', [
            { toolResult: { toolUseId: block.tool_use_id, content: [{ text }], status: ok ? 'success' : 'error' } },
          ]);
          break;
        }
        case 'tool_result':
          if (programmatic.has(block.tool_use_id)) break;
          pending.push({
            toolResult: {
              toolUseId: block.tool_use_id,
              content: resultContent(block),
              ...(block.is_error !== undefined && { status: block.is_error ? 'error' : 'success' }),
            },
          });
          break;
      }
    }
    push(message.role, pending);
  }
  return out;
}

function toolSpec(tool: CustomToolParam): Tool[] {
  const spec = converseTool(tool.name, tool.description, tool.input_schema as JsonObject);
  return tool.cache_control ? [spec, { cachePoint: { type: 'default' } }] : [spec];
}

/** Sorts the request's tools into direct, programmatic and the code-execution tool. */
export function requestTools(request: Pick<MessagesRequest, 'tools'>): RequestTools {
  const tools: RequestTools = { direct: [], programmatic: [] };
  for (const tool of request.tools ?? []) {
    if (tool.type !== undefined && tool.type !== 'custom') {
      if (tools.codeExecution) throw new TranslationError('tools: only one code-execution tool may be given');
      tools.codeExecution = { type: tool.type, name: tool.name };
      continue;
    }
    const custom = tool as CustomToolParam;
    const callers = custom.allowed_callers ?? ['direct'];
    if (callers.includes('direct')) tools.direct.push(...toolSpec(custom));
    if (callers.some((c) => c !== 'direct')) {
      tools.programmatic.push({
        name: custom.name,
        description: custom.description ?? '',
        inputSchema: custom.input_schema as JsonObject,
      });
    }
  }
  if (tools.programmatic.length > 0 && !tools.codeExecution) {
    throw new TranslationError(
      'tools: allowed_callers names the code-execution tool, but no code_execution tool is given',
    );
  }
  return tools;
}

/** The whole request as Converse parts. */
export function toConverse(request: MessagesRequest | CountTokensRequest): ConverseParts {
  const tools = requestTools(request);
  const parts: ConverseParts = { messages: toConverseMessages(request.messages), tools };
  if (request.system !== undefined) {
    const blocks =
      typeof request.system === 'string' ? [{ type: 'text' as const, text: request.system }] : request.system;
    parts.system = blocks.flatMap((b) => [{ text: b.text }, ...(cachePoint(b) as SystemContentBlock[])]);
  }
  if ('max_tokens' in request) {
    parts.inferenceConfig = {
      maxTokens: request.max_tokens,
      ...(request.temperature !== undefined && { temperature: request.temperature }),
      ...(request.top_p !== undefined && { topP: request.top_p }),
      ...(request.stop_sequences && { stopSequences: request.stop_sequences }),
    };
  }
  const extra: JsonObject = {};
  if ('top_k' in request && request.top_k !== undefined) extra['top_k'] = request.top_k;
  if (request.thinking) extra['thinking'] = request.thinking as JsonObject;
  if (Object.keys(extra).length > 0) parts.additionalModelRequestFields = extra;
  const choice = request.tool_choice;
  if (choice?.type === 'tool' && !tools.direct.some((t) => 'toolSpec' in t && t.toolSpec.name === choice.name))
    throw new TranslationError(`tool_choice.name: "${choice.name}" is not a tool the model may call directly`);
  const toolChoice = converseToolChoice(choice);
  if (toolChoice) parts.toolChoice = toolChoice;
  return parts;
}
