/**
 * The Anthropic Messages API request bodies this endpoint takes, validated with zod at the boundary: the fields
 * and block types of Anthropic's API reference that translate to Converse (docs/anthropic.md, "What is
 * translated"). A field or block type outside them is refused by name, as the Anthropic API refuses extra inputs.
 */
import { z } from 'zod';

const CacheControl = z.strictObject({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() });
const cache = { cache_control: CacheControl.nullish() };

/**
 * The code-execution tool versions that run programs in the sandbox (docs/anthropic.md, "Programmatic tool calling").
 */
export const CODE_EXECUTION_TYPES = ['code_execution_20250825', 'code_execution_20260120'] as const;
/** One of `CODE_EXECUTION_TYPES`. */
export type CodeExecutionType = (typeof CODE_EXECUTION_TYPES)[number];

const Caller = z.union([
  z.strictObject({ type: z.literal('direct') }),
  z.strictObject({ type: z.enum(CODE_EXECUTION_TYPES), tool_id: z.string().min(1) }),
]);

const TextBlock = z.strictObject({
  type: z.literal('text'),
  text: z.string(),
  citations: z.array(z.unknown()).nullish(),
  ...cache,
});
const ImageBlock = z.strictObject({
  type: z.literal('image'),
  source: z.strictObject({
    type: z.literal('base64'),
    media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
    data: z.string(),
  }),
  ...cache,
});
const DocumentBlock = z.strictObject({
  type: z.literal('document'),
  source: z.union([
    z.strictObject({ type: z.literal('base64'), media_type: z.literal('application/pdf'), data: z.string() }),
    z.strictObject({ type: z.literal('text'), media_type: z.literal('text/plain'), data: z.string() }),
  ]),
  title: z.string().nullish(),
  context: z.string().nullish(),
  citations: z.strictObject({ enabled: z.boolean() }).nullish(),
  ...cache,
});
const ToolUseBlock = z.strictObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  caller: Caller.optional(),
  ...cache,
});
const ToolResultBlock = z.strictObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.union([TextBlock, ImageBlock, DocumentBlock]))]).optional(),
  is_error: z.boolean().optional(),
  ...cache,
});
const ServerToolUseBlock = z.strictObject({
  type: z.literal('server_tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  caller: Caller.optional(),
  ...cache,
});
const CodeExecutionResult = z.strictObject({
  type: z.literal('code_execution_result'),
  stdout: z.string(),
  stderr: z.string(),
  return_code: z.number(),
  content: z.array(z.unknown()),
});
const CodeExecutionError = z.strictObject({
  type: z.literal('code_execution_tool_result_error'),
  error_code: z.string(),
});
const CodeExecutionToolResultBlock = z.strictObject({
  type: z.literal('code_execution_tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([CodeExecutionResult, CodeExecutionError]),
  ...cache,
});
const ThinkingBlock = z.strictObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const RedactedThinkingBlock = z.strictObject({ type: z.literal('redacted_thinking'), data: z.string() });

const ContentBlock = z.discriminatedUnion('type', [
  TextBlock,
  ImageBlock,
  DocumentBlock,
  ToolUseBlock,
  ToolResultBlock,
  ServerToolUseBlock,
  CodeExecutionToolResultBlock,
  ThinkingBlock,
  RedactedThinkingBlock,
]);
/** One content block of a request message. */
export type AnthropicBlock = z.infer<typeof ContentBlock>;

const MessageParam = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(ContentBlock)]),
});
/** One message of a request. */
export type AnthropicMessage = z.infer<typeof MessageParam>;

const AllowedCallers = z.array(z.enum(['direct', ...CODE_EXECUTION_TYPES])).min(1);

const CustomTool = z.strictObject({
  type: z.literal('custom').optional(),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/, 'expected a tool name of 1-128 letters, digits, _ and -'),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal('object') }),
  allowed_callers: AllowedCallers.optional(),
  input_examples: z.array(z.record(z.string(), z.unknown())).optional(),
  strict: z.boolean().optional(),
  defer_loading: z.boolean().optional(),
  ...cache,
});
/** A tool the client defines and answers. */
export type CustomToolParam = z.infer<typeof CustomTool>;

const CodeExecutionTool = z.strictObject({
  type: z.enum(CODE_EXECUTION_TYPES),
  name: z.literal('code_execution'),
  allowed_callers: AllowedCallers.optional(),
  defer_loading: z.boolean().optional(),
  strict: z.boolean().optional(),
  ...cache,
});

const ToolParam = z.union([CodeExecutionTool, CustomTool], {
  error: (issue) =>
    typeof issue.input === 'object' && issue.input !== null && 'type' in issue.input && issue.input.type !== 'custom'
      ? `tool type ${JSON.stringify(issue.input.type)} is not served here ` +
        `(custom tools and ${CODE_EXECUTION_TYPES.join(', ')})`
      : undefined,
});

const disableParallel = { disable_parallel_tool_use: z.boolean().optional() };
const ToolChoice = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auto'), ...disableParallel }),
  z.strictObject({ type: z.literal('any'), ...disableParallel }),
  z.strictObject({ type: z.literal('tool'), name: z.string().min(1), ...disableParallel }),
  z.strictObject({ type: z.literal('none') }),
]);

const System = z.union([z.string(), z.array(TextBlock)]);

const Thinking = z.union([
  z.strictObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }),
  z.strictObject({ type: z.literal('disabled') }),
]);

const common = {
  model: z.string().min(1),
  messages: z.array(MessageParam),
  system: System.optional(),
  tools: z.array(ToolParam).optional(),
  tool_choice: ToolChoice.optional(),
  thinking: Thinking.optional(),
};

/** `POST /v1/messages`. */
export const MessagesRequest = z.strictObject({
  ...common,
  max_tokens: z.number().int().min(1),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  stop_sequences: z.array(z.string()).optional(),
  metadata: z.strictObject({ user_id: z.string().nullish() }).optional(),
  /** A container of an earlier response: the program suspended in it resumes with this request's tool results. */
  container: z.union([z.string().min(1), z.strictObject({ id: z.string().min(1).nullish() })]).nullish(),
  service_tier: z.enum(['auto', 'standard_only']).optional(),
});
/** A validated `POST /v1/messages` body. */
export type MessagesRequest = z.infer<typeof MessagesRequest>;

/** `POST /v1/messages/count_tokens`. */
export const CountTokensRequest = z.strictObject(common);
/** A validated `POST /v1/messages/count_tokens` body. */
export type CountTokensRequest = z.infer<typeof CountTokensRequest>;

/** zod's issues as one sentence naming each field, the way the Anthropic API names them (`messages.0.content`). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const field = i.path.join('.');
      const message =
        i.code === 'unrecognized_keys' ? `Extra inputs are not permitted (${i.keys.join(', ')})` : i.message;
      return field ? `${field}: ${message}` : message;
    })
    .join('; ');
}
