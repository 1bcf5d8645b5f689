/**
 * SIGTERM on an orders server with a PostgreSQL pool (docs/deploy.md, "Graceful shutdown"): the call in flight
 * finishes on the pool, then the pool closes (its connections leave PostgreSQL) and the process exits 0.
 * The shipped entry as a process; the call is held in flight by a row lock the test owns.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { McpHub } from '../../bridge/index.js';
import { databaseUrl, postgresSchemas } from '../support/postgres.js';
import { PROCESSING_ORDERS, searchPathUrl } from './orders-db.js';

const newSchema = postgresSchemas('orders drain');

/** Polls `check` until it holds: each try is one query or connect, the next one follows at once. */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setImmediate(resolve));
}

const refused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

function startOrders(url: string): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const entry = join(process.cwd(), 'dist', 'servers', 'orders', 'main.js');
  const child = spawn(
    process.execPath,
    [entry, '--transport', 'http', '--port', '0', '--stateless', '--database-url', url],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const listening = /MCP over Streamable HTTP at (http:\/\/\S+)/.exec(stderr)?.[1];
      if (listening) resolve({ child, url: listening, stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`orders exited (${code}): ${stderr}`)));
  });
}

it.skipIf(!databaseUrl)(
  'SIGTERM lets the call in flight finish on the pool, then closes the pool and exits 0',
  { timeout: 60_000 },
  async () => {
    const schema = newSchema();
    const app = `orders-drain-${randomUUID().slice(0, 8)}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    const held = new pg.Client({ connectionString: databaseUrl });
    await held.connect();
    const server = await (async () => {
      await admin.query(`CREATE SCHEMA "${schema}"`);
      const url = new URL(searchPathUrl(databaseUrl as string, schema));
      url.searchParams.set('application_name', app);
      return startOrders(url.toString());
    })();
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    const connections = async (): Promise<number> =>
      Number(
        (await admin.query('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [app])).rows[0].n,
      );
    const hub = new McpHub([{ name: 'orders', transport: 'http', url: server.url }]);
    try {
      await hub.start();
      const order = PROCESSING_ORDERS[0] as string;
      // The test holds the order's row: the server's cancel waits on it inside PostgreSQL, in flight.
      await held.query('BEGIN');
      await held.query(`SELECT id FROM "${schema}".orders WHERE id = $1 FOR UPDATE`, [order]);
      const cancel = hub.callTool('orders', 'cancel_order', { order_id: order });
      await until(async () => {
        const waiting = await admin.query(
          "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
          [app],
        );
        return waiting.rowCount === 1;
      });
      server.child.kill('SIGTERM');
      await until(() => refused(Number(new URL(server.url).port)));
      // Draining: no new connections, but the process and its pool are still there for the call in flight.
      expect(server.child.exitCode).toBe(null);
      expect(await connections()).toBeGreaterThan(0);
      await held.query('COMMIT');
      const result = await cancel;
      expect(result.isError).not.toBe(true);
      expect(JSON.stringify(result.structuredContent)).toContain('Cancelled');
      expect(await exited).toBe(0);
      expect(server.stderr()).toContain('orders: drained and closed its resources; exiting');
      // The pool closed: none of its connections is left in PostgreSQL.
      await until(async () => (await connections()) === 0);
      const status = await admin.query(`SELECT status FROM "${schema}".orders WHERE id = $1`, [order]);
      expect(status.rows[0].status).toBe('Cancelled');
    } finally {
      await held.query('ROLLBACK').catch(() => {});
      await hub.close();
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      await held.end();
      await admin.end();
    }
  },
);
