/**
 * What the emulated Bedrock accepts per model, each trait from evidence about real Bedrock: AWS's feature table,
 * rejections users reported, recorded exchanges (docs/bedrock-evidence.md, "Per-model rules"). Deliberately
 * independent of the bridge's own capability table, so the bridge's table is tested against it rather than
 * against itself. Where nothing is known, the emulator accepts: it rejects only what Bedrock was seen to reject.
 */

/** The model families whose pass-through errors differ (Anthropic's and Nova's schema checks). */
export type ModelFamily = 'anthropic' | 'nova' | 'other';

/** What one model accepts and how it answers. */
export interface ModelTraits {
  family: ModelFamily;
  tools: boolean;
  streamingTools: boolean;
  choiceAny: boolean;
  choiceTool: boolean;
  /** `toolResult.status` accepted: everywhere but Writer Palmyra, the one reported rejection. */
  toolResultStatus: boolean;
  toolResultImages: boolean;
  vision: boolean;
  system: boolean;
  /** Llama and Mistral reject text beside toolUse/toolResult in one message (and never write it). */
  separateToolTurns: boolean;
  /** Ministral 3 rejects tool-use ids in history that are not 9 alphanumerics (Bedrock's own `tooluse_…` too). */
  nineCharIds: boolean;
  /** Nova rejects `$defs`/`definitions` keys at the root of a tool schema, and cachePoint in tools. */
  novaSchemas: boolean;
  /** Claude 2 / Titan / Llama 3 etc. answer tool prompts in text (prompt-based tool calling). */
  textToolCalls: boolean;
}

const NONE: ModelTraits = {
  family: 'other',
  tools: false,
  streamingTools: false,
  choiceAny: false,
  choiceTool: false,
  toolResultStatus: true,
  toolResultImages: false,
  vision: false,
  system: true,
  separateToolTurns: false,
  nineCharIds: false,
  novaSchemas: false,
  textToolCalls: true,
};
const NATIVE: ModelTraits = { ...NONE, tools: true, streamingTools: true, textToolCalls: false };
const CLAUDE: ModelTraits = { ...NATIVE, family: 'anthropic', choiceAny: true, choiceTool: true };
const NOVA: ModelTraits = { ...NATIVE, family: 'nova', choiceAny: true, choiceTool: true, novaSchemas: true };

const TABLE: [RegExp, ModelTraits][] = [
  [/^anthropic\.claude-(v2|instant)/, { ...NONE, family: 'anthropic' }],
  [/^anthropic\.claude-3-5-haiku/, CLAUDE],
  [/^anthropic\./, { ...CLAUDE, toolResultImages: true, vision: true }],
  [/^amazon\.nova-micro/, NOVA],
  [/^amazon\.nova/, { ...NOVA, toolResultImages: true, vision: true }],
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
    { ...NATIVE, streamingTools: false, separateToolTurns: true, choiceAny: true },
  ],
  [/^mistral\.ministral-3/, { ...NATIVE, streamingTools: false, nineCharIds: true }],
  [/^mistral\./, { ...NONE, system: false }],
  [/^cohere\.command-r/, NATIVE],
  [/^cohere\./, { ...NONE, system: false }],
  [/^ai21\.jamba-1-5/, NATIVE],
  [/^deepseek\.r1/, NONE],
  [/^deepseek\.v3/, { ...NATIVE, choiceAny: true }],
  [/^deepseek\./, { ...NATIVE, choiceAny: true, choiceTool: true }],
  [/^(openai|qwen)\./, NATIVE],
  [/^writer\./, { ...NATIVE, streamingTools: false, toolResultStatus: false }],
];

/** The model id without an ARN or a cross-region inference-profile prefix. */
export function baseId(modelId: string): string {
  const afterArn = modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  return afterArn.replace(/^(us|us-gov|eu|apac|jp|au|ca|global)\./, '');
}

/** Traits of a known model family, or undefined for an id Bedrock would not resolve. */
export function traitsFor(modelId: string): ModelTraits | undefined {
  const base = baseId(modelId);
  return TABLE.find(([pattern]) => pattern.test(base))?.[1];
}
