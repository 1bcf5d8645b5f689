/** The `orders` MCP server: the AnyCompany customer-support tools (docs/fixtures.md). */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { idempotencyKey } from '../shared/idempotency.js';
import { errorResult, jsonResult } from '../shared/run-server.js';
import { CUSTOMER_KEYS, type OrdersStore } from './store.js';

const id = (field: string, example: string) =>
  z.string().regex(/^\d{1,12}$/, `${field} must be the numeric id as a string, e.g. "${example}"`);

const customerShape = { id: z.string(), name: z.string(), email: z.string(), phone: z.string(), username: z.string() };
const orderShape = {
  id: z.string(),
  customer_id: z.string(),
  product: z.string(),
  quantity: z.number().int(),
  price: z.number(),
  status: z.string(),
};

/**
 * A tool handler whose store failures become a plain error result: the database driver's own text (a
 * PostgreSQL "invalid byte sequence for encoding", a connection string in a connect error) goes to the server's
 * stderr, never to the caller.
 */
function guarded<A>(handler: (args: A) => Promise<ToolResult>): (args: A) => Promise<ToolResult> {
  const wrapped = guardedWith((args: A, _extra: undefined) => handler(args));
  return (args) => wrapped(args, undefined);
}

/** `guarded` for handlers that also read the request's `extra` (its `_meta`). */
function guardedWith<A, E>(
  handler: (args: A, extra: E) => Promise<ToolResult>,
): (args: A, extra: E) => Promise<ToolResult> {
  return async (args, extra) => {
    try {
      return await handler(args, extra);
    } catch (error) {
      process.stderr.write(`orders: store error: ${(error as Error).message}\n`);
      return errorResult('The orders database could not answer this request; try again later.');
    }
  };
}

type ToolResult = ReturnType<typeof jsonResult> | ReturnType<typeof errorResult>;

export function buildServer(deps: { store: OrdersStore }): McpServer {
  const { store } = deps;
  const server = new McpServer({ name: 'orders', version: '0.1.0' });
  const read = { readOnlyHint: true, destructiveHint: false, openWorldHint: false };

  server.registerTool(
    'get_user',
    {
      title: 'Find a customer',
      description:
        'Looks up a customer by id, email, phone (NNN-555-NNNN) or username. ' +
        'Returns id, name, email, phone and username.',
      inputSchema: {
        key: z.enum(CUSTOMER_KEYS).describe('The attribute to search for a user by (id, email, phone, or username).'),
        value: z
          .string()
          .min(1)
          .max(255)
          // PostgreSQL text cannot hold NUL: refuse it here rather than let the driver's message reach the caller.
          .refine((v) => !v.includes('\u0000'), 'value must not contain NUL characters')
          .describe('The value to match for the specified attribute (exact match).'),
      },
      outputSchema: customerShape,
      annotations: read,
    },
    guarded(async ({ key, value }) => {
      const customer = await store.findCustomer(key, value);
      return customer ? jsonResult({ ...customer }) : errorResult(`Couldn't find a user with ${key} of ${value}`);
    }),
  );

  server.registerTool(
    'get_order_by_id',
    {
      title: 'Get an order',
      description:
        'Retrieves the details of a specific order based on the order ID. Returns the order ID, ' +
        'customer id, product name, quantity, unit price, and order status.',
      inputSchema: { order_id: id('order_id', '14826').describe('The unique identifier for the order.') },
      outputSchema: orderShape,
      annotations: read,
    },
    guarded(async ({ order_id }) => {
      const order = await store.getOrder(order_id);
      return order ? jsonResult({ ...order }) : errorResult(`Couldn't find an order with id ${order_id}`);
    }),
  );

  server.registerTool(
    'get_customer_orders',
    {
      title: "List a customer's orders",
      description: "Retrieves the list of orders belonging to a user based on a user's customer id.",
      inputSchema: { customer_id: id('customer_id', '345678').describe('The customer_id belonging to the user') },
      outputSchema: { orders: z.array(z.object(orderShape)) },
      annotations: read,
    },
    guarded(async ({ customer_id }) => {
      if (!(await store.findCustomer('id', customer_id)))
        return errorResult(`Couldn't find a user with id of ${customer_id}`);
      return jsonResult({ orders: await store.customerOrders(customer_id) });
    }),
  );

  server.registerTool(
    'cancel_order',
    {
      title: 'Cancel an order',
      description:
        "Cancels an order based on a provided order_id. Only orders whose status is 'Processing' can be cancelled.",
      inputSchema: { order_id: id('order_id', '37129').describe('The order_id pertaining to a particular order') },
      outputSchema: { order_id: z.string(), status: z.string(), message: z.string() },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guardedWith(async ({ order_id }: { order_id: string }, extra: { _meta?: Record<string, unknown> }) => {
      const outcome = await store.cancelOrder(order_id, idempotencyKey(extra._meta));
      if (outcome.cancelled) return jsonResult({ order_id, status: 'Cancelled', message: 'Cancelled the order' });
      const why =
        outcome.status === undefined ? `there is no order ${order_id}` : `order ${order_id} is ${outcome.status}`;
      return errorResult(
        `Order has already shipped or cannot be found: ${why}. Only Processing orders can be cancelled.`,
      );
    }),
  );
  return server;
}
