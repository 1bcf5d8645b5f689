/**
 * Converse turns as Anthropic Messages content (docs/anthropic.md, "What is translated"): text, thinking and
 * the client's tool calls as they are; an `execute_code` call as `server_tool_use` and its result as
 * `code_execution_tool_result`; the calls of MCP tools the endpoint runs itself are not shown, as with the
 * Anthropic API's own server tools only their outcome reaches the client.
 */
import { randomBytes } from 'node:crypto';
import type { ContentBlock, LoopStopReason, Message } from '../../bridge/index.js';
import type { MessagesUsage } from '../http/anthropic-messages.js';
import type { CodeExecutionType } from './messages-schema.js';
import { EXECUTE_CODE_TOOL } from './to-converse.js';

/** A response content block (the subset of Anthropic's block types this endpoint writes). */
export type ResponseBlock =
  | { type: 'text'; text: string; citations: null }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown; caller: Caller }
  | { type: 'server_tool_use'; id: string; name: string; input: { code: string }; caller: { type: 'direct' } }
  | {
      type: 'code_execution_tool_result';
      tool_use_id: string;
      content: { type: 'code_execution_result'; stdout: string; stderr: string; return_code: number; content: [] };
    };

/** Who made a tool call: the model, or the program of a code-execution block. */
export type Caller = { type: 'direct' } | { type: CodeExecutionType; tool_id: string };

/**
 * A whole `message` response, with every field the SDK's `Message` and `BetaMessage` types declare (those this
 * endpoint has nothing for are null).
 */
export interface AnthropicMessageResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ResponseBlock[];
  stop_reason: string;
  stop_sequence: string | null;
  stop_details: null;
  container: { id: string; expires_at: string; skills: null } | null;
  context_management: null;
  diagnostics: null;
  usage: MessagesUsage & Record<(typeof NULL_USAGE_FIELDS)[number], null> & { service_tier: 'standard' };
}

/** Usage fields of the SDK's types this endpoint has no value for. */
export const NULL_USAGE_FIELDS = [
  'cache_creation',
  'inference_geo',
  'server_tool_use',
  'output_tokens_details',
  'speed',
  'fallback_credit',
  'iterations',
] as const;

/** A program's output as the code-execution result block holds it. */
export interface ProgramOutcome {
  stdout: string;
  stderr: string;
  returnCode: number;
}

/** An id in Anthropic's style: `msg_…`, `toolu_…`, `srvtoolu_…`, `req_…`. */
export const anthropicId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('base64url')}`;

/** How the blocks of the turns are written: which tools are code execution, and what each program printed. */
export interface BlockContext {
  /** The code-execution tool's type, when the request has one (tool_use blocks then name their caller). */
  codeExecution?: CodeExecutionType;
  /** Names of the client's own tools (calls of any other tool than these and execute_code are not shown). */
  clientTools: ReadonlySet<string>;
  /** What each program (by its execute_code toolUseId) printed, once it finished. */
  outcomes: ReadonlyMap<string, ProgramOutcome>;
}

/** The server_tool_use id of an execute_code call. */
export const serverToolId = (toolUseId: string): string =>
  toolUseId.startsWith('srvtoolu_') ? toolUseId : `srvtoolu_${toolUseId.replace(/^tooluse_/, '')}`;

function assistantBlocks(block: ContentBlock, context: BlockContext): ResponseBlock[] {
  if ('text' in block) return block.text === '' ? [] : [{ type: 'text', text: block.text, citations: null }];
  if ('reasoningContent' in block) {
    const r = block.reasoningContent;
    if ('reasoningText' in r)
      return [{ type: 'thinking', thinking: r.reasoningText.text, signature: r.reasoningText.signature ?? '' }];
    return [{ type: 'redacted_thinking', data: Buffer.from(r.redactedContent).toString('base64') }];
  }
  if (!('toolUse' in block)) return [];
  const { toolUseId, name, input } = block.toolUse;
  if (name === EXECUTE_CODE_TOOL && context.codeExecution) {
    const code =
      typeof input === 'object' && input !== null && !Array.isArray(input) ? String(input['code'] ?? '') : '';
    return [
      {
        type: 'server_tool_use',
        id: serverToolId(toolUseId),
        name: 'code_execution',
        input: { code },
        caller: { type: 'direct' },
      },
    ];
  }
  if (!context.clientTools.has(name)) return [];
  return [{ type: 'tool_use', id: toolUseId, name, input, caller: { type: 'direct' } }];
}

/** The blocks of these Converse turns (assistant turns, and the loop's tool-result turns between them). */
export function responseBlocks(turns: readonly Message[], context: BlockContext): ResponseBlock[] {
  const blocks: ResponseBlock[] = [];
  for (const turn of turns) {
    for (const block of turn.content) {
      if (turn.role === 'assistant') blocks.push(...assistantBlocks(block, context));
      else if ('toolResult' in block) {
        const outcome = context.outcomes.get(block.toolResult.toolUseId);
        if (!outcome) continue;
        blocks.push({
          type: 'code_execution_tool_result',
          tool_use_id: serverToolId(block.toolResult.toolUseId),
          content: {
            type: 'code_execution_result',
            stdout: outcome.stdout,
            stderr: outcome.stderr,
            return_code: outcome.returnCode,
            content: [],
          },
        });
      }
    }
  }
  return blocks;
}

/** Anthropic's stop reason for the loop's. */
export function stopReasonOf(reason: LoopStopReason): string {
  switch (reason) {
    case 'end_turn':
    case 'tool_use':
    case 'max_tokens':
    case 'stop_sequence':
    case 'model_context_window_exceeded':
      return reason;
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
