/** The operator's usage line: the conversation's token counts and their estimated cost (docs/pricing.md). */
import { estimateCost, type PriceTable, type TurnUsage } from '../../bridge/index.js';
import { formatUsd } from '../runtime/prices.js';
import type { UsageView } from './api-types.js';

/** `usage` as the page shows it, priced for `modelId` when the table knows the model. */
export function usageView(usage: TurnUsage, modelId: string, prices: PriceTable): UsageView {
  const cost = estimateCost(modelId, usage, prices);
  return {
    ...usage,
    ...(cost && { cost: { usd: cost.total, display: formatUsd(cost.total), priceDate: cost.priceDate } }),
  };
}
