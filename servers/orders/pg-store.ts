/**
 * OrdersStore on PostgreSQL (pg): creates its tables and seeds them idempotently in the given schema. Replicas
 * share the database (docs/deploy.md): start-up migrations take an advisory lock so replicas starting together do
 * not race, and a cancellation is one statement, so concurrent callers on any replica succeed exactly once.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { fixturesPath } from '../shared/fixtures.js';
import {
  CUSTOMER_COLUMN,
  ORDER_COLUMNS,
  type CancelOutcome,
  type Customer,
  type CustomerKey,
  type Order,
  type OrdersStore,
} from './store.js';

interface OrderRow extends Omit<Order, 'price'> {
  price: string;
}

// DECIMAL comes back as a string to keep precision; prices are cents-exact at two decimals, so Number is safe.
const toOrder = (row: OrderRow): Order => ({ ...row, price: Number(row.price) });

/** Any fixed number: the advisory lock every replica takes while it creates and seeds the tables. */
const MIGRATION_LOCK = 4_815_162;

/** Options of {@link PgOrdersStore.open}. */
export interface PgStoreOptions {
  /** A schema to create and use (tests isolate runs with it); otherwise the URL's search_path. */
  schema?: string | undefined;
  /** Connections at most (default 4); size it to the replica's concurrency and the database's max_connections. */
  poolSize?: number | undefined;
}

export class PgOrdersStore implements OrdersStore {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects, creates the tables and seeds them (idempotent: existing rows are kept). */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgOrdersStore> {
    const { schema, poolSize = 4 } = options;
    const pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      ...(schema && { options: `-c search_path=${schema}` }),
    });
    // An idle connection the server closed (restart, failover) must not take the process down.
    pool.on('error', () => {});
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`);
      await client.query(readFileSync(fixturesPath('orders', 'schema.sql'), 'utf8'));
      await client.query(readFileSync(fixturesPath('orders', 'seed.sql'), 'utf8'));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      await pool.end();
      throw error;
    } finally {
      client.release();
    }
    return new PgOrdersStore(pool);
  }

  async findCustomer(key: CustomerKey, value: string): Promise<Customer | undefined> {
    const { rows } = await this.pool.query<Customer>(
      `SELECT * FROM customers WHERE ${CUSTOMER_COLUMN[key]} = $1 LIMIT 1`,
      [value],
    );
    return rows[0];
  }

  async getOrder(id: string): Promise<Order | undefined> {
    const { rows } = await this.pool.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1`, [id]);
    return rows[0] && toOrder(rows[0]);
  }

  async customerOrders(customerId: string): Promise<Order[]> {
    const { rows } = await this.pool.query<OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE customer_id = $1 ORDER BY position`,
      [customerId],
    );
    return rows.map(toOrder);
  }

  async cancelOrder(id: string, requestKey?: string): Promise<CancelOutcome> {
    // One statement: the row lock of the UPDATE serialises concurrent cancels, the loser re-reads the row, finds
    // it no longer Processing and changes nothing; the record is written with the change or not at all.
    const { rowCount } = await this.pool.query(
      `WITH changed AS (
         UPDATE orders SET status = 'Cancelled' WHERE id = $1 AND status = 'Processing' RETURNING id
       )
       INSERT INTO cancellations (order_id, request_key) SELECT id, $2 FROM changed`,
      [id, requestKey ?? null],
    );
    if (rowCount === 1) return { cancelled: true };
    const { rows } = await this.pool.query<{ status: string; request_key: string | null }>(
      'SELECT o.status, c.request_key FROM orders o LEFT JOIN cancellations c ON c.order_id = o.id WHERE o.id = $1',
      [id],
    );
    const row = rows[0];
    if (requestKey !== undefined && row?.request_key === requestKey) return { cancelled: true, replayed: true };
    return { cancelled: false, status: row?.status };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
