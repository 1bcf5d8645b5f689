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
  /** Statements are compiled once: preparing one costs more than running it. */
  private readonly statements = new Map<string, Database.Statement>();

  /** `path` may be `:memory:`. Schema and seed are idempotent, so an existing file keeps its changes. */
  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(readFileSync(fixturesPath('orders', 'schema.sql'), 'utf8'));
    this.db.exec(readFileSync(fixturesPath('orders', 'seed.sql'), 'utf8'));
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async findCustomer(key: CustomerKey, value: string): Promise<Customer | undefined> {
    return this.statement(`SELECT * FROM customers WHERE ${CUSTOMER_COLUMN[key]} = ? LIMIT 1`).get(value) as
      | Customer
      | undefined;
  }

  async getOrder(id: string): Promise<Order | undefined> {
    return this.statement(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`).get(id) as Order | undefined;
  }

  async customerOrders(customerId: string): Promise<Order[]> {
    return this.statement(`SELECT ${ORDER_COLUMNS} FROM orders WHERE customer_id = ? ORDER BY position`).all(
      customerId,
    ) as Order[];
  }

  async cancelOrder(id: string, requestKey?: string): Promise<CancelOutcome> {
    // IMMEDIATE takes the write lock first, so processes sharing the file cancel one at a time.
    const cancel = this.db.transaction((): CancelOutcome => {
      const { changes } = this.statement(
        "UPDATE orders SET status = 'Cancelled' WHERE id = ? AND status = 'Processing'",
      ).run(id);
      if (changes === 1) {
        this.statement('INSERT INTO cancellations (order_id, request_key) VALUES (?, ?)').run(id, requestKey ?? null);
        return { cancelled: true };
      }
      const row = this.statement(
        'SELECT o.status, c.request_key FROM orders o LEFT JOIN cancellations c ON c.order_id = o.id WHERE o.id = ?',
      ).get(id) as { status: string; request_key: string | null } | undefined;
      if (requestKey !== undefined && row?.request_key === requestKey) return { cancelled: true, replayed: true };
      return { cancelled: false, status: row?.status };
    });
    return cancel.immediate();
  }

  async ping(): Promise<void> {
    this.statement('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
