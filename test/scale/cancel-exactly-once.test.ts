/**
 * cancel_order is exactly-once across processes: several orders server processes share one database and every
 * client tries to cancel every Processing order at the same time; each order is cancelled by exactly one call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { call, stdioClient } from '../servers/mcp-client.js';
import { databaseUrl, postgresSchemas } from '../support/postgres.js';
import { PROCESSING_ORDERS, searchPathUrl } from './orders-db.js';

const PROCESSES = 4;
const newSchema = postgresSchemas('cancel_once');
const dir = mkdtempSync(join(tmpdir(), 'cancel-once-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function raceCancels(clients: Client[]): Promise<Map<string, number>> {
  const successes = new Map<string, number>(PROCESSING_ORDERS.map((id) => [id, 0]));
  const attempts = clients.flatMap((client) =>
    PROCESSING_ORDERS.map(async (order_id) => {
      const outcome = await call(client, 'cancel_order', { order_id });
      if (!outcome.isError) successes.set(order_id, (successes.get(order_id) ?? 0) + 1);
      else expect(outcome.text).toContain(`order ${order_id} is Cancelled`);
    }),
  );
  await Promise.all(attempts);
  return successes;
}

describe('cancel_order exactly once across processes', () => {
  it('on one SQLite file shared by 4 server processes', async () => {
    const db = join(dir, 'orders.sqlite');
    const clients = await Promise.all(Array.from({ length: PROCESSES }, () => stdioClient('orders', ['--db', db])));
    try {
      const successes = await raceCancels(clients);
      expect([...successes.values()]).toEqual(PROCESSING_ORDERS.map(() => 1));
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it.skipIf(!databaseUrl)('on PostgreSQL shared by 4 server processes (one row per cancellation)', async () => {
    const schema = newSchema();
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA "${schema}"`);
      const url = searchPathUrl(databaseUrl as string, schema);
      const clients = await Promise.all(
        Array.from({ length: PROCESSES }, () => stdioClient('orders', ['--database-url', url])),
      );
      try {
        const successes = await raceCancels(clients);
        expect([...successes.values()]).toEqual(PROCESSING_ORDERS.map(() => 1));
      } finally {
        await Promise.all(clients.map((client) => client.close()));
      }
      const { rows } = await admin.query(`SELECT order_id FROM "${schema}".cancellations ORDER BY order_id`);
      expect(rows.map((r: { order_id: string }) => r.order_id)).toEqual([...PROCESSING_ORDERS].sort());
    } finally {
      await admin.end();
    }
  });
});
