#!/usr/bin/env node
/** `mcp-orders`: customers and orders over stdio (default) or Streamable HTTP; SQLite or PostgreSQL. */
import { runServer } from '../shared/run-server.js';
import { defaultDatabasePath, openOrdersStore } from './open-store.js';
import { buildServer } from './server.js';

await runServer({
  name: 'orders',
  defaultPort: 3001,
  extraOptions: ['db', 'database-url'],
  usage: `Usage: mcp-orders [--transport stdio|http] [--port N (default 3001)] [--host 127.0.0.1]
                  [--db PATH | :memory:] [--database-url postgres://…]
SQLite file by default: ${defaultDatabasePath()} (created and seeded on first start).
PostgreSQL with --database-url or ORDERS_DATABASE_URL (tables created and seeded idempotently).`,
  setup: async ({ extra }) => {
    const store = await openOrdersStore({
      databaseUrl: extra['database-url'] ?? process.env['ORDERS_DATABASE_URL'],
      db: extra['db'],
    });
    return { build: () => buildServer({ store }), close: () => store.close() };
  },
});
