/** Chooses the store: PostgreSQL when a URL is given, otherwise a SQLite file (created and seeded on first start). */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { OrdersStore } from './store.js';

/**
 * The store's module, loaded on first use: its driver (`pg`, `better-sqlite3`) is an optional peer dependency,
 * and a missing one is named with the command that installs it.
 */
async function storeModule<T>(driver: 'pg' | 'better-sqlite3', load: () => Promise<T>): Promise<T> {
  return load().catch((error: { code?: string; message?: string }) => {
    const missing = error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(`'${driver}'`);
    if (!missing) throw error;
    throw new Error(
      `the orders server's ${driver === 'pg' ? 'PostgreSQL' : 'SQLite'} store needs the ` +
        `package ${driver}, which is not installed: run npm install ${driver}`,
    );
  });
}

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
  if (options.databaseUrl) {
    const { PgOrdersStore } = await storeModule('pg', () => import('./pg-store.js'));
    return PgOrdersStore.open(options.databaseUrl, { poolSize: options.poolSize });
  }
  const { SqliteOrdersStore } = await storeModule('better-sqlite3', () => import('./sqlite-store.js'));
  const path = options.db ?? defaultDatabasePath();
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return new SqliteOrdersStore(path);
}
