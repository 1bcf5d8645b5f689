/**
 * The scale suite's load generator, run in its own process (`node dist/bench/http-load.js '<spec JSON>'`): keep-alive
 * HTTP/1.1 clients sending MCP `tools/call` requests back to back, `concurrency` in flight at once, spread over
 * `sessions` sessions (stateful) or none (stateless). It speaks the wire protocol directly (initialize, the
 * initialized notification, then calls with the session and protocol-version headers) so that the client costs
 * the same for every server measured. Prints `{ calls, errors, seconds, p50, p99, firstError }` as JSON.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** What to run. */
export interface LoadSpec {
  url: string;
  stateful: boolean;
  sessions: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  tool: string;
  arguments: Record<string, unknown>;
  /** Instead of a timed load: open `sessions` sessions (initialize, initialized, one call each) and leave them. */
  abandon?: boolean;
}

/** What the load generator prints. */
export interface LoadResult {
  calls: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  firstError?: string;
}

const VERSION = '2025-06-18';

async function main(spec: LoadSpec): Promise<LoadResult> {
  const target = new URL(spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const post = (body: string, session: string | undefined) =>
    new Promise<{ status: number; session: string | undefined; text: string }>((resolve, reject) => {
      const headers: Record<string, string | number> = {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'content-length': Buffer.byteLength(body),
        'mcp-protocol-version': VERSION,
      };
      if (session) headers['mcp-session-id'] = session;
      const req = request(
        { hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, session: res.headers['mcp-session-id'] as string, text }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const initialize = JSON.stringify({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
  });
  const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const call = (n: number) =>
    JSON.stringify({
      jsonrpc: '2.0',
      id: n,
      method: 'tools/call',
      params: { name: spec.tool, arguments: spec.arguments },
    });
  const open = async (): Promise<string | undefined> => {
    const reply = await post(initialize, undefined);
    if (reply.status !== 200) throw new Error(`initialize answered ${reply.status}: ${reply.text}`);
    const session = spec.stateful ? reply.session : undefined;
    await post(initialized, session);
    return session;
  };
  if (spec.abandon) {
    let opened = 0;
    const opener = async (): Promise<void> => {
      while (opened < spec.sessions) {
        opened++;
        await post(call(1), await open());
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency }, opener));
    agent.destroy();
    return { calls: opened, errors: 0, seconds: 0, p50: Number.NaN, p99: Number.NaN };
  }
  const sessions: (string | undefined)[] = [];
  for (let i = 0; i < Math.max(1, spec.sessions); i++) sessions.push(await open());
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let id = 1;
  const start = performance.now();
  const measureFrom = start + spec.warmupMs;
  const end = measureFrom + spec.durationMs;
  const worker = async (n: number): Promise<void> => {
    const session = sessions[n % sessions.length];
    for (let now = performance.now(); now < end; now = performance.now()) {
      const body = call(id++);
      const sent = performance.now();
      const reply = await post(body, session).catch((error: Error) => ({ status: 0, text: error.message }));
      const ok = reply.status === 200 && reply.text.includes('"result"') && !reply.text.includes('"isError":true');
      if (sent < measureFrom) continue;
      latencies.push(performance.now() - sent);
      if (!ok) {
        errors++;
        firstError ??= `HTTP ${reply.status}: ${reply.text.slice(0, 200)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, (_, n) => worker(n)));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    calls: latencies.length,
    errors,
    seconds: spec.durationMs / 1000,
    p50: at(0.5),
    p99: at(0.99),
    ...(firstError !== undefined && { firstError }),
  };
}

main(JSON.parse(process.argv[2] ?? '{}') as LoadSpec).then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
