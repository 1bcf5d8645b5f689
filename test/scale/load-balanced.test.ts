/**
 * The deployment of docs/deploy.md, for real: 3 stateless orders replicas sharing PostgreSQL behind HAProxy.
 * Four McpHubs (each its own client) run 1,000 mixed calls through the balancer while one replica is killed
 * (SIGKILL, in-flight calls lost) and started again. No call may fail (the hub retries what the balancer or a
 * dying replica answered with a retryable status), each Processing order is cancelled by exactly one of the
 * concurrent clients, and nothing else in the database changes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { McpHub, type McpToolResult } from '../../bridge/index.js';
import { databaseUrl, postgresSchemas } from '../support/postgres.js';
import { PROCESSING_ORDERS, SEEDED_STATUS, searchPathUrl } from './orders-db.js';
import { balancerReady, findHaproxy, freePort, haproxyConfig, startHaproxy } from '../../bench/haproxy.js';
import { type Replica, startReplica, stopped } from './replicas.js';

const CLIENTS = 4;
const CALLS = 1000;
const WORKERS_PER_CLIENT = 4;
const KILL_AT = 300;
const RESTART_AT = 550;

const haproxy = findHaproxy();
const reason = !databaseUrl ? 'TEST_DATABASE_URL is not set' : 'missing' in haproxy ? haproxy.missing : undefined;
if (reason) console.log(`load-balanced replicas test: skipped because ${reason}`);
const newSchema = postgresSchemas('lb');
const dir = mkdtempSync(join(tmpdir(), 'lb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Call = { tool: string; args: Record<string, string> };

const ORDER_IDS = [...SEEDED_STATUS.keys()];
const pick = <T>(items: readonly T[], n: number): T => items[n % items.length] as T;

/** Every client's calls: each tries to cancel every Processing order once, plus a shipped one, amid reads. */
function plan(client: number): Call[] {
  const perClient = CALLS / CLIENTS;
  const cancels: Call[] = [...PROCESSING_ORDERS, '14826'].map((id) => ({
    tool: 'cancel_order',
    args: { order_id: id },
  }));
  const reads = Array.from({ length: perClient - cancels.length }, (_, i): Call => {
    const n = i * 7 + client * 13;
    if (i % 3 === 0) return { tool: 'get_order_by_id', args: { order_id: pick(ORDER_IDS, n) } };
    if (i % 3 === 1) return { tool: 'get_user', args: { key: 'id', value: '345678' } };
    return { tool: 'get_customer_orders', args: { customer_id: '678902' } };
  });
  // Cancels spread over the run (so some meet the kill), at different places for each client.
  const calls = [...reads];
  for (const [i, cancel] of cancels.entries()) calls.splice(((i * 17 + client * 5) % calls.length) + i, 0, cancel);
  return calls;
}

function checkRead(call: Call, result: McpToolResult): string | undefined {
  const data = result.structuredContent as Record<string, unknown> | undefined;
  if (result.isError) return `${call.tool} ${JSON.stringify(call.args)} answered an error`;
  if (call.tool === 'get_order_by_id') {
    const seeded = SEEDED_STATUS.get(call.args['order_id'] as string);
    const allowed = seeded === 'Processing' ? ['Processing', 'Cancelled'] : [seeded];
    if (data?.['id'] !== call.args['order_id'] || !allowed.includes(data?.['status'] as string))
      return `get_order_by_id ${call.args['order_id']} answered ${JSON.stringify(data)}`;
  }
  if (call.tool === 'get_user' && data?.['name'] !== 'Ana Carolina Silva')
    return `get_user answered ${JSON.stringify(data)}`;
  if (call.tool === 'get_customer_orders' && (data?.['orders'] as unknown[] | undefined)?.length !== 1)
    return `get_customer_orders answered ${JSON.stringify(data)}`;
  return undefined;
}

describe('3 stateless orders replicas behind HAProxy on shared PostgreSQL', () => {
  it.skipIf(reason !== undefined)(
    '1,000 mixed calls survive a replica killed and restarted; every Processing order is cancelled exactly once',
    { timeout: 180_000 },
    async () => {
      const schema = newSchema();
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      const replicaArgs = ['--stateless', '--database-url', searchPathUrl(databaseUrl as string, schema)];
      const ports = await Promise.all([freePort(), freePort(), freePort()]);
      const lbPort = await freePort();
      const replicas: Replica[] = await Promise.all(ports.map((port) => startReplica(port, replicaArgs)));
      const lb = startHaproxy((haproxy as { path: string }).path, dir, haproxyConfig(lbPort, ports));
      const hubs: McpHub[] = [];
      try {
        const lbUrl = `http://127.0.0.1:${lbPort}`;
        await balancerReady(lbUrl);
        for (let i = 0; i < CLIENTS; i++) {
          const hub = new McpHub([{ name: 'orders', transport: 'http', url: `${lbUrl}/mcp` }]);
          await hub.start();
          expect(hub.servers()[0]).toMatchObject({ status: 'connected' });
          hubs.push(hub);
        }

        let done = 0;
        let restart: Promise<void> | undefined;
        let callsWhileDown = 0;
        let down = false;
        const failures: string[] = [];
        const wins = new Map<string, number>(PROCESSING_ORDERS.map((id) => [id, 0]));
        const afterCall = (): void => {
          done++;
          if (down) callsWhileDown++;
          if (done === KILL_AT) {
            down = true;
            replicas[1]?.child.kill('SIGKILL');
          }
          if (done === RESTART_AT)
            restart = (async () => {
              await stopped((replicas[1] as Replica).child);
              replicas[1] = await startReplica(ports[1] as number, replicaArgs);
              down = false;
            })();
        };
        await Promise.all(
          hubs.map(async (hub, client) => {
            const queue = plan(client);
            await Promise.all(
              Array.from({ length: WORKERS_PER_CLIENT }, async () => {
                for (let call = queue.shift(); call; call = queue.shift()) {
                  try {
                    const result = await hub.callTool('orders', call.tool, call.args);
                    if (call.tool !== 'cancel_order') {
                      const wrong = checkRead(call, result);
                      if (wrong) failures.push(wrong);
                    } else if (!result.isError) {
                      const id = call.args['order_id'] as string;
                      wins.set(id, (wins.get(id) ?? 0) + 1);
                    } else if (!JSON.stringify(result.content).includes('Only Processing orders can be cancelled')) {
                      failures.push(`cancel_order ${call.args['order_id']}: ${JSON.stringify(result.content)}`);
                    }
                  } catch (error) {
                    failures.push(`${call.tool} ${JSON.stringify(call.args)}: ${(error as Error).message}`);
                  }
                  afterCall();
                }
              }),
            );
          }),
        );
        await restart;

        expect(failures).toEqual([]);
        expect(done).toBe(CALLS);
        expect(callsWhileDown).toBeGreaterThan(0);
        expect(Object.fromEntries(wins)).toEqual(Object.fromEntries(PROCESSING_ORDERS.map((id) => [id, 1])));
        // Nothing lost, nothing else changed: every seeded order is there with its status, cancellations recorded.
        const { rows } = await admin.query<{ id: string; status: string }>(`SELECT id, status FROM "${schema}".orders`);
        const expected = [...SEEDED_STATUS].map(([id, status]) => [id, status === 'Processing' ? 'Cancelled' : status]);
        expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual(Object.fromEntries(expected));
        const cancellations = await admin.query(`SELECT order_id FROM "${schema}".cancellations ORDER BY order_id`);
        expect(cancellations.rows.map((r: { order_id: string }) => r.order_id)).toEqual([...PROCESSING_ORDERS].sort());
        // The restarted replica is back in rotation.
        expect((await fetch(`http://127.0.0.1:${ports[1]}/readyz`)).status).toBe(200);
      } finally {
        await Promise.all(hubs.map((hub) => hub.close()));
        lb.kill();
        for (const replica of replicas) replica.child.kill('SIGTERM');
        await Promise.all([lb, ...replicas.map((r) => r.child)].map(stopped));
        await admin.end();
      }
    },
  );
});
