/** The orders data the MCP tools read and change; SQLite and PostgreSQL implement it. */
export interface Customer {
  id: string;
  name: string;
  email: string;
  phone: string;
  username: string;
}

export interface Order {
  id: string;
  customer_id: string;
  product: string;
  quantity: number;
  /** Unit price in dollars. */
  price: number;
  status: string;
}

export const CUSTOMER_KEYS = ['id', 'email', 'phone', 'username'] as const;
export type CustomerKey = (typeof CUSTOMER_KEYS)[number];

/** `replayed`: the order was already cancelled by a call with the same idempotency key (a retry). */
export type CancelOutcome = { cancelled: true; replayed?: true } | { cancelled: false; status: string | undefined };

export interface OrdersStore {
  findCustomer(key: CustomerKey, value: string): Promise<Customer | undefined>;
  getOrder(id: string): Promise<Order | undefined>;
  customerOrders(customerId: string): Promise<Order[]>;
  /**
   * Cancels only a `Processing` order, in one conditional UPDATE so concurrent cancels succeed once, and records
   * it in `cancellations` in the same step. A call whose `requestKey` matches the recorded one is a retry of the
   * call that cancelled it and is answered as that call was.
   */
  cancelOrder(id: string, requestKey?: string): Promise<CancelOutcome>;
  /** Throws when the database does not answer (readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const ORDER_COLUMNS = 'id, customer_id, product, quantity, price, status';

/** Column names come from this fixed list only, never from input (the sample interpolated them). */
export const CUSTOMER_COLUMN: Record<CustomerKey, string> = {
  id: 'id',
  email: 'email',
  phone: 'phone',
  username: 'username',
};
