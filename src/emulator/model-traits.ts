/**
 * What the emulated Bedrock accepts per model, written from AWS's feature table and the rejections users
 * reported (converse-api.md §4.4, §5). Deliberately independent of the bridge's own capability table, so the
 * bridge's table is tested against it rather than against itself.
 */
export interface ModelTraits {
  tools: boolean;
  streamingTools: boolean;
  choiceAny: boolean;
  choiceTool: boolean;
  toolResultStatus: boolean;
  toolResultImages: boolean;
  vision: boolean;
  system: boolean;
  /** Llama and Mistral reject text beside toolUse/toolResult in one message. */
  separateToolTurns: boolean;
  /** Mistral requires 9-character alphanumeric tool-use ids. */
  nineCharIds: boolean;
  /** Nova rejects `$defs`, `$ref` and cachePoint in tool definitions. */
  strictSchemas: boolean;
  /** Claude 2 / Titan / Llama 3 etc. answer tool prompts in text (prompt-based tool calling). */
  textToolCalls: boolean;
  /** Claude's own input_schema checks apply (schema-rules.ts). */
  claudeSchemas?: boolean;
}

const NONE: ModelTraits = {
  tools: false,
  streamingTools: false,
  choiceAny: false,
  choiceTool: false,
  toolResultStatus: false,
  toolResultImages: false,
  vision: false,
  system: true,
  separateToolTurns: false,
  nineCharIds: false,
  strictSchemas: false,
  textToolCalls: true,
};
const NATIVE: ModelTraits = { ...NONE, tools: true, streamingTools: true, textToolCalls: false };

const TABLE: [RegExp, ModelTraits][] = [
  [/^anthropic\.claude-(v2|instant)/, NONE],
  [
    /^anthropic\.claude-3-5-haiku/,
    { ...NATIVE, choiceAny: true, choiceTool: true, toolResultStatus: true, claudeSchemas: true },
  ],
  [
    /^anthropic\./,
    {
      ...NATIVE,
      choiceAny: true,
      choiceTool: true,
      toolResultStatus: true,
      toolResultImages: true,
      vision: true,
      claudeSchemas: true,
    },
  ],
  [
    /^amazon\.nova-micro/,
    { ...NATIVE, choiceAny: true, choiceTool: true, toolResultStatus: true, strictSchemas: true },
  ],
  [
    /^amazon\.nova/,
    {
      ...NATIVE,
      choiceAny: true,
      choiceTool: true,
      toolResultStatus: true,
      toolResultImages: true,
      vision: true,
      strictSchemas: true,
    },
  ],
  [/^amazon\.titan-text/, { ...NONE, system: false }],
  [
    /^meta\.llama4/,
    { ...NATIVE, streamingTools: false, separateToolTurns: true, toolResultImages: true, vision: true },
  ],
  [/^meta\.llama3-2-(11|90)b/, { ...NATIVE, streamingTools: false, separateToolTurns: true, vision: true }],
  [/^meta\.llama3-(1|3)-/, { ...NATIVE, streamingTools: false, separateToolTurns: true }],
  [/^meta\.llama/, NONE],
  [
    /^mistral\.(mistral-large|pixtral-large)/,
    { ...NATIVE, streamingTools: false, separateToolTurns: true, choiceAny: true, nineCharIds: true },
  ],
  [/^mistral\./, { ...NONE, system: false }],
  [/^cohere\.command-r/, NATIVE],
  [/^cohere\./, { ...NONE, system: false }],
  [/^ai21\.jamba-1-5/, NATIVE],
  [/^deepseek\.r1/, NONE],
  [/^deepseek\.v3/, { ...NATIVE, choiceAny: true }],
  [/^deepseek\./, { ...NATIVE, choiceAny: true, choiceTool: true }],
  [/^(openai|qwen)\./, NATIVE],
  [/^writer\./, { ...NATIVE, streamingTools: false }],
];

export function baseId(modelId: string): string {
  const afterArn = modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  return afterArn.replace(/^(us|us-gov|eu|apac|jp|au|ca|global)\./, '');
}

/** Traits of a known model family, or undefined for an id Bedrock would not resolve. */
export function traitsFor(modelId: string): ModelTraits | undefined {
  const base = baseId(modelId);
  return TABLE.find(([pattern]) => pattern.test(base))?.[1];
}
