/**
 * Estimated cost of Bedrock usage from a dated price table: USD per million tokens for input, output, cache
 * reads and cache writes, per base model id (region prefixes such as `us.` or `global.` do not change the
 * match). The built-in table is Amazon Bedrock's on-demand list price in us-east-1 on its `date`
 * (docs/pricing.md has the source and how to override it); an estimate, not a bill: batch, provisioned
 * throughput, other regions and discounts differ.
 */
import type { TurnUsage } from './types.js';

/** Prices of one model, USD per million tokens. Without cache prices, cached tokens cost the input price. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/** Prices keyed by base model id prefix (the longest matching prefix wins), and the day they were read. */
export interface PriceTable {
  /** ISO date the prices were taken from their source. */
  date: string;
  currency: 'USD';
  source?: string;
  models: Record<string, ModelPrice>;
}

/** An estimate for some usage, itemised. */
export interface CostEstimate {
  currency: 'USD';
  total: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** The table key that matched, e.g. `anthropic.claude-sonnet-4-5`. */
  priced: string;
  priceDate: string;
}

const claudeSonnet: ModelPrice = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
const claudeOpus: ModelPrice = { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 };

/** Amazon Bedrock on-demand prices, us-east-1. */
export const BEDROCK_PRICES: PriceTable = {
  date: '2025-10-01',
  currency: 'USD',
  source: 'https://aws.amazon.com/bedrock/pricing/',
  models: {
    'anthropic.claude-sonnet-4-5': claudeSonnet,
    'anthropic.claude-sonnet-4': claudeSonnet,
    'anthropic.claude-3-7-sonnet': claudeSonnet,
    'anthropic.claude-3-5-sonnet': claudeSonnet,
    'anthropic.claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
    'anthropic.claude-3-5-haiku': { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
    'anthropic.claude-3-haiku': { input: 0.25, output: 1.25 },
    'anthropic.claude-3-sonnet': { input: 3, output: 15 },
    'anthropic.claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
    'anthropic.claude-opus-4': claudeOpus,
    'anthropic.claude-3-opus': claudeOpus,
    'amazon.nova-micro': { input: 0.035, output: 0.14, cacheRead: 0.00875 },
    'amazon.nova-lite': { input: 0.06, output: 0.24, cacheRead: 0.015 },
    'amazon.nova-pro': { input: 0.8, output: 3.2, cacheRead: 0.2 },
    'amazon.nova-premier': { input: 2.5, output: 12.5, cacheRead: 0.625 },
    'amazon.titan-text-premier': { input: 0.5, output: 1.5 },
    'amazon.titan-text-express': { input: 0.2, output: 0.6 },
    'amazon.titan-text-lite': { input: 0.15, output: 0.2 },
    'meta.llama3-70b-instruct': { input: 2.65, output: 3.5 },
    'meta.llama3-8b-instruct': { input: 0.3, output: 0.6 },
    'meta.llama3-1-405b': { input: 2.4, output: 2.4 },
    'meta.llama3-1-70b': { input: 0.72, output: 0.72 },
    'meta.llama3-1-8b': { input: 0.22, output: 0.22 },
    'meta.llama3-3-70b': { input: 0.72, output: 0.72 },
    'meta.llama4-maverick': { input: 0.24, output: 0.97 },
    'meta.llama4-scout': { input: 0.17, output: 0.66 },
    'mistral.mistral-large-2402': { input: 4, output: 12 },
    'mistral.mistral-large-2407': { input: 2, output: 6 },
    'mistral.mistral-small': { input: 1, output: 3 },
    'mistral.mixtral-8x7b': { input: 0.45, output: 0.7 },
    'mistral.mistral-7b': { input: 0.15, output: 0.2 },
    'cohere.command-r-plus': { input: 3, output: 15 },
    'cohere.command-r': { input: 0.5, output: 1.5 },
    'ai21.jamba-1-5-large': { input: 2, output: 8 },
    'ai21.jamba-1-5-mini': { input: 0.2, output: 0.4 },
    'deepseek.r1': { input: 1.35, output: 5.4 },
  },
};

/** `us.anthropic.x` and ARNs → `anthropic.x`. */
function baseOf(modelId: string): string {
  const afterArn = modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  return afterArn.replace(/^(us|us-gov|eu|apac|jp|au|ca|global)\./, '');
}

/** The price entry for a model id, with its key; undefined when the table does not know the model. */
export function priceFor(
  modelId: string,
  table: PriceTable = BEDROCK_PRICES,
): { key: string; price: ModelPrice } | undefined {
  const base = baseOf(modelId);
  let best: string | undefined;
  for (const key of Object.keys(table.models))
    if (base.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  return best === undefined ? undefined : { key: best, price: table.models[best] as ModelPrice };
}

/** The estimated cost of `usage` on `modelId`, or undefined for a model the table does not price. */
export function estimateCost(
  modelId: string,
  usage: Pick<TurnUsage, 'inputTokens' | 'outputTokens' | 'cacheReadInputTokens' | 'cacheWriteInputTokens'>,
  table: PriceTable = BEDROCK_PRICES,
): CostEstimate | undefined {
  const found = priceFor(modelId, table);
  if (!found) return undefined;
  const { price } = found;
  const perToken = (perMillion: number) => perMillion / 1_000_000;
  // Bedrock reports cached tokens apart from inputTokens, so each kind is priced once.
  const input = usage.inputTokens * perToken(price.input);
  const output = usage.outputTokens * perToken(price.output);
  const cacheRead = usage.cacheReadInputTokens * perToken(price.cacheRead ?? price.input);
  const cacheWrite = usage.cacheWriteInputTokens * perToken(price.cacheWrite ?? price.input);
  return {
    currency: 'USD',
    total: input + output + cacheRead + cacheWrite,
    input,
    output,
    cacheRead,
    cacheWrite,
    priced: found.key,
    priceDate: table.date,
  };
}

/** `base` with `override`'s models added or replaced, dated by the override. */
export function mergePriceTables(base: PriceTable, override: Partial<PriceTable>): PriceTable {
  return {
    date: override.date ?? base.date,
    currency: 'USD',
    ...((override.source ?? base.source) !== undefined && { source: override.source ?? base.source }),
    models: { ...base.models, ...override.models },
  };
}
