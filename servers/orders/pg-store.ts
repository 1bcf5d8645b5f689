/** OrdersStore on PostgreSQL (pg): creates its tables and seeds them idempotently in the given schema. */
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

export class PgOrdersStore implements OrdersStore {
  private constructor(private readonly pool: pg.Pool) {}

  /** `schema` isolates test runs; it is created when missing. */
  static async open(url: string, schema?: string): Promise<PgOrdersStore> {
    const pool = new pg.Pool({ connectionString: url, max: 4, ...(schema && { options: `-c search_path=${schema}` }) });
    const client = await pool.connect();
    try {
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`);
      await client.query(readFileSync(fixturesPath('orders', 'schema.sql'), 'utf8'));
      await client.query(readFileSync(fixturesPath('orders', 'seed.sql'), 'utf8'));
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

  async cancelOrder(id: string): Promise<CancelOutcome> {
    const { rowCount } = await this.pool.query(
      "UPDATE orders SET status = 'Cancelled' WHERE id = $1 AND status = 'Processing'",
      [id],
    );
    if (rowCount === 1) return { cancelled: true };
    return { cancelled: false, status: (await this.getOrder(id))?.status };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
