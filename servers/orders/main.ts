#!/usr/bin/env node
/** `mcp-orders`: customers and orders over stdio (default) or Streamable HTTP; SQLite or PostgreSQL. */
import { runServer } from '../shared/run-server.js';
import { defaultDatabasePath, openOrdersStore } from './open-store.js';
import { buildServer } from './server.js';

function poolSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1) throw new Error(`--db-pool expects a whole number ≥ 1, got "${value}"`);
  return size;
}

await runServer({
  name: 'orders',
  defaultPort: 3001,
  extraOptions: ['db', 'database-url', 'db-pool'],
  usage: `Usage: mcp-orders [--transport stdio|http] [--port N (default 3001)] [--host 127.0.0.1]
                  [--db PATH | :memory:] [--database-url postgres://…] [--db-pool N (default 4)]
SQLite file by default: ${defaultDatabasePath()} (created and seeded on first start).
PostgreSQL with --database-url or ORDERS_DATABASE_URL (tables created and seeded idempotently; replicas may
share it); --db-pool caps this process's connections.`,
  setup: async ({ extra }) => {
    const store = await openOrdersStore({
      databaseUrl: extra['database-url'] ?? process.env['ORDERS_DATABASE_URL'],
      db: extra['db'],
      poolSize: poolSize(extra['db-pool']),
    });
    return { build: () => buildServer({ store }), close: () => store.close(), ready: () => store.ping() };
  },
});
