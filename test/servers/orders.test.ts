import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseUrl, postgresSchemas } from '../support/postgres.js';
import { PgOrdersStore } from '../../servers/orders/pg-store.js';
import { buildServer } from '../../servers/orders/server.js';
import { SqliteOrdersStore } from '../../servers/orders/sqlite-store.js';
import type { OrdersStore } from '../../servers/orders/store.js';
import { serveHttp } from '../../servers/shared/http-host.js';
import { call, httpClient, inMemoryClient, stdioClient } from './mcp-client.js';

const newSchema = postgresSchemas('orders');

const backends: [string, () => Promise<OrdersStore>, boolean][] = [
  ['SQLite', async () => new SqliteOrdersStore(':memory:'), true],
  [
    'PostgreSQL',
    async () => {
      return PgOrdersStore.open(databaseUrl as string, { schema: newSchema() });
    },
    databaseUrl !== undefined,
  ],
];

describe.each(backends)('orders server on %s', (_name, open, enabled) => {
  let store: OrdersStore;
  let client: Client;
  beforeEach(async (context) => {
    if (!enabled) return context.skip();
    store = await open();
    client = await inMemoryClient(buildServer({ store }));
    return async () => {
      await client.close();
      await store.close();
    };
  });

  it('looks up order 14826 (Márcia Oliveria, Backpack, Shipped)', async () => {
    const order = await call(client, 'get_order_by_id', { order_id: '14826' });
    expect(order.structured).toEqual({
      id: '14826',
      customer_id: '678902',
      product: 'Backpack',
      quantity: 1,
      price: 59.99,
      status: 'Shipped',
    });
    expect(JSON.parse(order.text)).toEqual(order.structured);
    const customer = await call(client, 'get_user', { key: 'id', value: '678902' });
    expect(customer.structured?.['name']).toBe('Márcia Oliveria');
  });

  it("finds Ana Carolina Silva by e-mail and lists her orders in the sample's order", async () => {
    const user = await call(client, 'get_user', { key: 'email', value: 'anacarolina_silva@example.com' });
    expect(user.structured?.['id']).toBe('345678');
    const orders = await call(client, 'get_customer_orders', { customer_id: '345678' });
    expect(orders.structured).toEqual({
      orders: [
        {
          id: '86420',
          customer_id: '345678',
          product: 'Fitness Tracker',
          quantity: 1,
          price: 129.99,
          status: 'Delivered',
        },
        {
          id: '81695',
          customer_id: '345678',
          product: 'Wireless Keyboard',
          quantity: 1,
          price: 49.99,
          status: 'Processing',
        },
      ],
    });
  });

  it('finds Arnav Desai by phone; his only order 54321 is Shipped and cannot be cancelled', async () => {
    const user = await call(client, 'get_user', { key: 'phone', value: '312-555-8204' });
    expect(user.structured?.['name']).toBe('Arnav Desai');
    const cancel = await call(client, 'cancel_order', { order_id: '54321' });
    expect(cancel.isError).toBe(true);
    expect(cancel.text).toContain('Order has already shipped or cannot be found: order 54321 is Shipped');
    expect((await store.getOrder('54321'))?.status).toBe('Shipped');
  });

  it('cancels the Processing order 37129 once; a second cancel says why not', async () => {
    expect(await call(client, 'cancel_order', { order_id: '37129' })).toMatchObject({
      isError: false,
      structured: { status: 'Cancelled' },
    });
    expect((await store.getOrder('37129'))?.status).toBe('Cancelled');
    const again = await call(client, 'cancel_order', { order_id: '37129' });
    expect(again.isError).toBe(true);
    expect(again.text).toContain('order 37129 is Cancelled');
  });

  it('lets exactly one of two concurrent cancels of the same order succeed', async () => {
    const outcomes = await Promise.all([
      store.cancelOrder('19283'),
      store.cancelOrder('19283'),
      store.cancelOrder('19283'),
    ]);
    expect(outcomes.filter((o) => o.cancelled)).toHaveLength(1);
  });

  it('rejects bad input naming the field, and changes nothing', async () => {
    const before = await store.getOrder('13579');
    const injection = await client.callTool({ name: 'cancel_order', arguments: { order_id: "13579' OR '1'='1" } });
    expect(injection.isError).toBe(true);
    expect(JSON.stringify(injection.content)).toContain('order_id');
    const badKey = await client.callTool({ name: 'get_user', arguments: { key: 'name', value: 'x' } });
    expect(badKey.isError).toBe(true);
    expect(JSON.stringify(badKey.content)).toContain('key');
    const missing = await client.callTool({ name: 'get_order_by_id', arguments: {} });
    expect(missing.isError).toBe(true);
    expect(await store.getOrder('13579')).toEqual(before);
    expect(await call(client, 'get_user', { key: 'username', value: 'nobody' })).toMatchObject({
      isError: true,
      text: "Couldn't find a user with username of nobody",
    });
  });
});

describe('orders over Streamable HTTP', () => {
  it('shares one store between HTTP sessions', async () => {
    const store = new SqliteOrdersStore(':memory:');
    const host = await serveHttp(() => buildServer({ store }), { host: '127.0.0.1', port: 0 });
    const first = await httpClient(host.url);
    const second = await httpClient(host.url);
    expect((await call(first, 'cancel_order', { order_id: '28164' })).isError).toBe(false);
    expect((await call(second, 'get_order_by_id', { order_id: '28164' })).structured?.['status']).toBe('Cancelled');
    await first.close();
    await second.close();
    await host.close();
    await store.close();
  });
});

describe('orders stdio entry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orders-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates and seeds its SQLite file, and keeps changes across restarts', async () => {
    const db = join(dir, 'orders.sqlite');
    const first = await stdioClient('orders', ['--db', db]);
    expect((await first.listTools()).tools.map((t) => t.name)).toEqual([
      'get_user',
      'get_order_by_id',
      'get_customer_orders',
      'cancel_order',
    ]);
    expect((await call(first, 'cancel_order', { order_id: '13579' })).isError).toBe(false);
    await first.close();
    const second = await stdioClient('orders', ['--db', db]);
    expect((await call(second, 'get_order_by_id', { order_id: '13579' })).structured?.['status']).toBe('Cancelled');
    await second.close();
  });
});
