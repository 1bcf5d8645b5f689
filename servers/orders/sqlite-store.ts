/** OrdersStore on SQLite (better-sqlite3): the default, creating and seeding its file on first start. */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
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

export class SqliteOrdersStore implements OrdersStore {
  private readonly db: Database.Database;

  /** `path` may be `:memory:`. Schema and seed are idempotent, so an existing file keeps its changes. */
  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(readFileSync(fixturesPath('orders', 'schema.sql'), 'utf8'));
    this.db.exec(readFileSync(fixturesPath('orders', 'seed.sql'), 'utf8'));
  }

  async findCustomer(key: CustomerKey, value: string): Promise<Customer | undefined> {
    return this.db.prepare(`SELECT * FROM customers WHERE ${CUSTOMER_COLUMN[key]} = ? LIMIT 1`).get(value) as
      | Customer
      | undefined;
  }

  async getOrder(id: string): Promise<Order | undefined> {
    return this.db.prepare(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`).get(id) as Order | undefined;
  }

  async customerOrders(customerId: string): Promise<Order[]> {
    return this.db
      .prepare(`SELECT ${ORDER_COLUMNS} FROM orders WHERE customer_id = ? ORDER BY position`)
      .all(customerId) as Order[];
  }

  async cancelOrder(id: string): Promise<CancelOutcome> {
    const { changes } = this.db
      .prepare("UPDATE orders SET status = 'Cancelled' WHERE id = ? AND status = 'Processing'")
      .run(id);
    if (changes === 1) return { cancelled: true };
    return { cancelled: false, status: (await this.getOrder(id))?.status };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
