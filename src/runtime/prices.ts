/**
 * The price table the CLI uses: the bridge's built-in Bedrock table, with the models of a `--prices FILE`
 * ($MCP_BEDROCK_PRICES) added or replaced. The file is validated here (docs/pricing.md shows its shape).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BEDROCK_PRICES, mergePriceTables, type PriceTable } from '../../bridge/index.js';
import { CliError } from '../cli/cli-error.js';

const perMillion = z.number({ error: 'expected USD per million tokens, a number' }).nonnegative();
const PriceFile = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected the date the prices were read, as YYYY-MM-DD'),
  currency: z.literal('USD', { error: 'only "USD" is supported' }).optional(),
  source: z.string().optional(),
  models: z.record(
    z.string(),
    z.strictObject({
      input: perMillion,
      output: perMillion,
      cacheRead: perMillion.optional(),
      cacheWrite: perMillion.optional(),
    }),
  ),
});

/** The built-in table, or it merged with `file`. */
export function loadPrices(file: string | undefined): PriceTable {
  if (!file) return BEDROCK_PRICES;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError('CLI_BAD_PRICES', `${file}: cannot read the price table (${(error as Error).message})`);
  }
  const parsed = PriceFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError('CLI_BAD_PRICES', `${file}: "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}`);
  }
  return mergePriceTables(BEDROCK_PRICES, { ...parsed.data, currency: 'USD' });
}

/** "$0.0123" with enough digits to show small amounts. */
export function formatUsd(amount: number): string {
  return `$${amount < 0.01 ? amount.toFixed(6) : amount.toFixed(4)}`;
}
