/** Facts about the orders seed and PostgreSQL URLs shared by the scale tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const seed = readFileSync(join(process.cwd(), 'fixtures', 'orders', 'seed.sql'), 'utf8');

/** Order ids and statuses as seeded. */
export const SEEDED_STATUS = new Map(
  [...seed.matchAll(/\('(\d+)', '\d+', '[^']*', \d+, [\d.]+, '(\w+)', \d+\)/g)].map((m) => [
    m[1] as string,
    m[2] as string,
  ]),
);

/** The seeded orders that can be cancelled. */
export const PROCESSING_ORDERS = [...SEEDED_STATUS].filter(([, status]) => status === 'Processing').map(([id]) => id);

/** The database URL with `search_path` set to a schema, as a replica is started in production (docs/deploy.md). */
export function searchPathUrl(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}
