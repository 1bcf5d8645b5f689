/** Chooses the store: PostgreSQL when a URL is given, otherwise a SQLite file (created and seeded on first start). */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { PgOrdersStore } from './pg-store.js';
import { SqliteOrdersStore } from './sqlite-store.js';
import type { OrdersStore } from './store.js';

export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share');
  return join(base, 'mcp-bedrock', 'orders.sqlite');
}

export async function openOrdersStore(options: {
  databaseUrl?: string | undefined;
  db?: string | undefined;
  /** PostgreSQL connections at most. */
  poolSize?: number | undefined;
}): Promise<OrdersStore> {
  if (options.databaseUrl) return PgOrdersStore.open(options.databaseUrl, { poolSize: options.poolSize });
  const path = options.db ?? defaultDatabasePath();
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return new SqliteOrdersStore(path);
}
