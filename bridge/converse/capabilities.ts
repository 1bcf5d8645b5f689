/**
 * What each Bedrock model family accepts through Converse, in one table.
 *
 * The schema compiler, the result mapping and the loop all read this instead of testing model ids themselves,
 * so a quirk is fixed in one row. Each field and row with its evidence (AWS's feature table, client tables, issue
 * threads): docs/bedrock-model-quirks.md; the tool-schema rules and theirs: docs/schema-translation.md.
 */

/**
 * What a model's validation of tool input schemas rejects, so the schema compiler changes a tool's schema only
 * where that model forces it. Each rule and the Bedrock error behind it: docs/schema-translation.md.
 */
export interface SchemaRules {
  /** `full`: JSON Schema 2020-12 with `$ref`s inlined; `nova`: only `type`, `properties`, `required` at the root. */
  dialect: 'full' | 'nova';
  /** Root `anyOf`/`oneOf`/`allOf` are rejected, even beside `type: "object"` (they are merged into the root). */
  rejectsRootCombinators: boolean;
  /** Integer literals outside the int32 range are rejected (`int too big to convert`). */
  rejectsBigIntegers: boolean;
  /** Most schema nodes with a union (`anyOf`, `oneOf` or a type array) across all tools of one request. */
  unionLimit?: number;
}

/** The model families the capability table knows (`other` for the rest). */
export type ModelFamily =
  | 'anthropic'
  | 'nova'
  | 'titan'
  | 'llama'
  | 'llama4'
  | 'mistral'
  | 'mistral-large'
  | 'cohere'
  | 'ai21'
  | 'deepseek'
  | 'openai'
  | 'qwen'
  | 'writer'
  | 'other';

/**
 * What one model accepts through Converse, as `capabilitiesFor` reads it from the table: each field, row and its
 * evidence are in docs/bedrock-model-quirks.md.
 */
export interface ModelCapabilities {
  family: ModelFamily;
  /** `native`: toolConfig works; `prompt`: tools described in text and calls parsed from text. */
  toolUse: 'native' | 'prompt';
  /** ConverseStream accepts `toolConfig` (Llama and Mistral reject it: fall back to Converse). */
  streamingTools: boolean;
  /** toolChoice modes the model accepts besides the default `auto`. */
  toolChoice: { any: boolean; tool: boolean };
  /** Top-level `system` accepted (Titan and Mistral Instruct reject it: fold it into the first user turn). */
  system: boolean;
  /** `status` on toolResult accepted (every family in the table except Writer Palmyra; not assumed for others). */
  toolResultStatus: boolean;
  /** `image` blocks inside toolResult accepted. */
  toolResultImages: boolean;
  /** `json` blocks inside toolResult are read well (Nova hallucinates on them: send text). */
  toolResultJson: boolean;
  /** Image blocks accepted in user turns at all. */
  vision: boolean;
  /** Document blocks accepted in user turns. */
  documents: boolean;
  /** Text blocks may share a message with toolUse/toolResult blocks (Llama and Mistral reject mixing). */
  mixedToolTurns: boolean;
  /** Tool-use ids this model requires in history, when stricter than Bedrock's general pattern (Ministral 3). */
  toolUseIdFormat?: 'mistral9';
  /** Calls the model may write as text although it has native tools (Mistral Large's positional form, `omitempty`). */
  recoversTextToolCalls: boolean;
  /** What the model rejects in tool input schemas (docs/schema-translation.md). */
  schemaRules: SchemaRules;
  /** `strict` on toolSpec accepted. */
  strictTools: boolean;
  /** `cachePoint` accepted in tools (Nova caches system/messages only). */
  toolCachePoint: boolean;
  /** Prompt caching, where the model has it: what it caches and from how many tokens (docs/prompt-caching.md). */
  promptCache?: PromptCacheRules;
  /** `reasoningContent` must be removed from history before it is sent back (DeepSeek). */
  stripReasoning: boolean;
}

/**
 * Where a model accepts `cachePoint` blocks and when they take effect; the evidence is AWS's table of supported
 * models (docs/prompt-caching.md).
 */
export interface PromptCacheRules {
  /** `cachePoint` in `system`. */
  system: boolean;
  /** `cachePoint` in message content. */
  messages: boolean;
  /** `cachePoint` in `toolConfig.tools` (Nova: no). */
  tools: boolean;
  /** The prefix before a checkpoint must reach this many tokens, or nothing is cached there. */
  minTokens: number;
  /** Most checkpoints in one request (more are rejected). */
  maxCheckpoints: number;
  /** `ttl: "1h"` accepted (otherwise only the default five minutes). */
  longTtl: boolean;
}

/** Bedrock passes tool schemas on as they are: only its own root rule (`type: "object"`) applies. */
const OPEN_SCHEMAS: SchemaRules = { dialect: 'full', rejectsRootCombinators: false, rejectsBigIntegers: false };
/** Claude behind Bedrock: Anthropic's own input_schema checks (docs/schema-translation.md, "Claude"). */
const CLAUDE_SCHEMAS: SchemaRules = {
  dialect: 'full',
  rejectsRootCombinators: true,
  rejectsBigIntegers: true,
  unionLimit: 16,
};
/** Nova documents only `type`, `properties` and `required` at the root (docs/schema-translation.md, "Nova"). */
const NOVA_SCHEMAS: SchemaRules = { dialect: 'nova', rejectsRootCombinators: true, rejectsBigIntegers: false };

const BASE: ModelCapabilities = {
  family: 'other',
  toolUse: 'native',
  streamingTools: true,
  toolChoice: { any: false, tool: false },
  system: true,
  toolResultStatus: false,
  toolResultImages: false,
  toolResultJson: true,
  vision: false,
  documents: true,
  mixedToolTurns: true,
  recoversTextToolCalls: false,
  schemaRules: OPEN_SCHEMAS,
  strictTools: false,
  toolCachePoint: false,
  stripReasoning: false,
};

interface Row {
  /** Matched against the model id with its inference-profile prefix and ARN removed. */
  pattern: RegExp;
  caps: Partial<ModelCapabilities> & { family: ModelFamily };
}

/**
 * What every family in the table has unless its row says otherwise: `toolResult.status` is accepted by all but
 * Writer Palmyra (AWS's top_song example sends it to Command R; Meta, Mistral and Cohere accept it;
 * docs/bedrock-evidence.md). An id no row matches gets BASE alone: no evidence, no status.
 */
const KNOWN_FAMILY: Partial<ModelCapabilities> = { toolResultStatus: true };

const PROMPT_TOOLS: Partial<ModelCapabilities> = { toolUse: 'prompt', streamingTools: true, mixedToolTurns: true };
const LLAMA_LIKE: Partial<ModelCapabilities> = { streamingTools: false, mixedToolTurns: false };

/** First match wins, so narrower rows come before their family's general row. */
const ROWS: readonly Row[] = [
  { pattern: /^anthropic\.claude-(v2|instant)/, caps: { family: 'anthropic', ...PROMPT_TOOLS } },
  {
    pattern: /^anthropic\.claude-3-5-haiku/,
    caps: {
      family: 'anthropic',
      toolChoice: { any: true, tool: true },
      toolCachePoint: true,
      schemaRules: CLAUDE_SCHEMAS,
    },
  },
  {
    pattern: /^anthropic\./,
    caps: {
      family: 'anthropic',
      toolChoice: { any: true, tool: true },
      toolResultImages: true,
      vision: true,
      strictTools: true,
      toolCachePoint: true,
      schemaRules: CLAUDE_SCHEMAS,
    },
  },
  { pattern: /^amazon\.nova-micro/, caps: { family: 'nova', ...novaCaps(false) } },
  { pattern: /^amazon\.nova/, caps: { family: 'nova', ...novaCaps(true) } },
  { pattern: /^amazon\.titan-text/, caps: { family: 'titan', ...PROMPT_TOOLS, system: false } },
  { pattern: /^meta\.llama4/, caps: { family: 'llama4', ...LLAMA_LIKE, toolResultImages: true, vision: true } },
  { pattern: /^meta\.llama3-2-(1|3)b/, caps: { family: 'llama', ...PROMPT_TOOLS } },
  { pattern: /^meta\.llama3-2-(11|90)b/, caps: { family: 'llama', ...LLAMA_LIKE, vision: true } },
  { pattern: /^meta\.llama3-(1|3)-/, caps: { family: 'llama', ...LLAMA_LIKE } },
  // Llama 2 and Llama 3 (not 3.1+) have no tool use on Converse.
  { pattern: /^meta\.llama/, caps: { family: 'llama', ...PROMPT_TOOLS } },
  {
    pattern: /^mistral\.(mistral-large|pixtral-large)/,
    caps: {
      family: 'mistral-large',
      ...LLAMA_LIKE,
      toolChoice: { any: true, tool: false },
      recoversTextToolCalls: true,
    },
  },
  // Ministral 3 calls tools natively but rejects Bedrock's own `tooluse_…` ids in history (docs/bedrock-evidence.md).
  { pattern: /^mistral\.ministral-3/, caps: { family: 'mistral', ...LLAMA_LIKE, toolUseIdFormat: 'mistral9' } },
  { pattern: /^mistral\./, caps: { family: 'mistral', ...PROMPT_TOOLS, system: false } },
  { pattern: /^cohere\.command-r/, caps: { family: 'cohere' } },
  { pattern: /^cohere\./, caps: { family: 'cohere', ...PROMPT_TOOLS, system: false } },
  { pattern: /^ai21\.jamba-1-5/, caps: { family: 'ai21' } },
  { pattern: /^ai21\./, caps: { family: 'ai21', ...PROMPT_TOOLS } },
  {
    pattern: /^deepseek\.r1/,
    caps: { family: 'deepseek', ...PROMPT_TOOLS, streamingTools: false, stripReasoning: true },
  },
  {
    pattern: /^deepseek\.v3/,
    caps: { family: 'deepseek', toolChoice: { any: true, tool: false }, stripReasoning: true },
  },
  { pattern: /^deepseek\./, caps: { family: 'deepseek', toolChoice: { any: true, tool: true }, stripReasoning: true } },
  { pattern: /^openai\./, caps: { family: 'openai' } },
  { pattern: /^qwen\./, caps: { family: 'qwen' } },
  // Writer Palmyra rejects `toolResult.status` (docs/bedrock-evidence.md).
  { pattern: /^writer\./, caps: { family: 'writer', streamingTools: false, toolResultStatus: false } },
];

const claudeCache = (minTokens: number, longTtl = false): PromptCacheRules => ({
  system: true,
  messages: true,
  tools: true,
  minTokens,
  maxCheckpoints: 4,
  longTtl,
});
const NOVA_CACHE: PromptCacheRules = {
  system: true,
  messages: true,
  tools: false,
  minTokens: 1000,
  maxCheckpoints: 4,
  longTtl: false,
};

/** Models with prompt caching on Bedrock (first match wins); the rest have none (docs/prompt-caching.md). */
const CACHE_ROWS: readonly [RegExp, PromptCacheRules][] = [
  [/^anthropic\.claude-3-7-sonnet/, claudeCache(1024)],
  [/^anthropic\.claude-3-5-haiku/, claudeCache(2048)],
  [/^anthropic\.claude-sonnet-4-5/, claudeCache(1024, true)],
  [/^anthropic\.claude-(haiku-4-5|opus-4-[56])/, claudeCache(4096, true)],
  [/^anthropic\.claude-sonnet-4-6/, claudeCache(2048, true)],
  [/^anthropic\.claude-(sonnet|opus)-4/, claudeCache(1024)],
  [/^amazon\.nova-(micro|lite|pro|premier|2-lite)/, NOVA_CACHE],
];

function novaCaps(vision: boolean): Partial<ModelCapabilities> {
  return {
    toolChoice: { any: true, tool: true },
    toolResultImages: vision,
    toolResultJson: false,
    vision,
    documents: vision,
    schemaRules: NOVA_SCHEMAS,
    // Nova sometimes answers `malformed_tool_use` with the call written as text (vercel/ai #16929).
    recoversTextToolCalls: true,
  };
}

/**
 * Strips what Bedrock accepts around a base model id: an ARN (`arn:aws:bedrock:…:inference-profile/…`
 * or `…:foundation-model/…`) and a cross-region inference-profile prefix (`us.`, `eu.`, `apac.`, `global.`, …).
 */
export function baseModelId(modelId: string): string {
  const afterArn = modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  return afterArn.replace(/^(us|us-gov|eu|apac|jp|au|ca|global)\./, '');
}

const cache = new Map<string, ModelCapabilities>();

/** Capabilities for a model id; unknown models get conservative native-tool defaults (no toolChoice, no status). */
export function capabilitiesFor(modelId: string): ModelCapabilities {
  let caps = cache.get(modelId);
  if (caps === undefined) {
    const base = baseModelId(modelId);
    const row = ROWS.find((r) => r.pattern.test(base));
    const promptCache = CACHE_ROWS.find(([pattern]) => pattern.test(base))?.[1];
    caps = Object.freeze({ ...BASE, ...(row && KNOWN_FAMILY), ...row?.caps, ...(promptCache && { promptCache }) });
    cache.set(modelId, caps);
  }
  return caps;
}
