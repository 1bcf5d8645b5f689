/**
 * The gateway's added latency (target < 2 ms per request, docs/performance.md): 32 concurrent clients in their own
 * process send Converse requests straight to the emulator, then through the gateway (relayed unchanged, then with MCP
 * tools injected). The emulator runs in its own process too, so the gateway's cost is not hidden by, or added to, the
 * emulator's. The load is bounded: each client waits 100 ms between requests (~300 requests/s in all, ten times what 32
 * clients waiting about a second on real Bedrock would send), so latencies measure work rather than a queue on
 * 2 cores shared by three busy processes. One client alone shows the gateway's intrinsic cost per request.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { HubToolset, McpHub } from '../bridge/index.js';
import { startGateway, upstreamFrom } from '../src/gateway/index.js';
import { packageRoot, serverEntry } from '../src/package-root.js';
import { stats, type BenchRow, type BenchSuite } from './harness.js';

const CLIENTS = 32;
const REQUESTS_PER_CLIENT = 40;
const THINK_MS = 100;
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const BODY = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hello there' }] }] });

/**
 * Each of N keep-alive clients sends its requests one after another, pausing between them; prints every latency (ms) as
 * JSON.
 */
const LOAD_SCRIPT = `
const http = require('node:http');
const [url, body] = [process.argv[1], process.argv[5]];
const [clients, requests, think] = process.argv.slice(2, 5).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const latencies = [];
const one = () => new Promise((resolve, reject) => {
  const start = performance.now();
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
    if (res.statusCode !== 200) reject(new Error('HTTP ' + res.statusCode + ' from ' + url));
    res.resume();
    res.on('end', () => { latencies.push(performance.now() - start); resolve(); });
  });
  req.on('error', reject);
  req.end(body);
});
const pause = (ms) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : undefined);
// Clients start spread over one pause, so they do not arrive in lockstep bursts of 32.
const client = async (_, n) => {
  await pause((think * n) / clients);
  for (let i = 0; i < requests; i++) {
    await one();
    await pause(think);
  }
};
Promise.all(Array.from({ length: clients }, client)).then(
  () => {
    process.stdout.write(JSON.stringify(latencies));
    agent.destroy();
  },
  (e) => {
    console.error(e.message);
    process.exit(1);
  },
);
`;

async function load(
  base: string,
  shape = { clients: CLIENTS, requests: REQUESTS_PER_CLIENT, thinkMs: THINK_MS },
): Promise<number[]> {
  const url = `${base}/model/${encodeURIComponent(MODEL)}/converse`;
  const args = [shape.clients, shape.requests, shape.thinkMs].map(String);
  const child = spawn(process.execPath, ['-e', LOAD_SCRIPT, url, ...args, BODY], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`load against ${url} failed: ${err}`);
  return JSON.parse(out) as number[];
}

/** The emulator as users start it, in its own process; resolves with its URL. */
async function emulatorProcess(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [join(packageRoot(), 'dist', 'src', 'cli', 'main.js'), 'emulator', '--port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.on('close', () => reject(new Error(`the emulator exited before listening: ${out}`)));
  });
  return { url, stop: () => child.kill() };
}

/** A latency row; with `direct`, the added latency over pass-through, judged against the target when `judged`. */
function row(name: string, latencies: number[], direct?: number, judged = true): BenchRow {
  const s = stats(latencies);
  const base: BenchRow = { suite: 'gateway', name, unit: 'ms', value: s.median, p90: s.p90, samples: latencies.length };
  if (direct === undefined) return { ...base, note: 'pass-through reference' };
  const added = s.median - direct;
  return {
    ...base,
    floor: direct,
    ...(judged && { target: '< 2 ms added (median)', ok: added < 2 }),
    note: `adds ${added.toFixed(2)} ms per request`,
  };
}

export const gatewaySuite: BenchSuite = {
  name: 'gateway',
  description: `gateway latency, ${CLIENTS} concurrent clients (emulator, gateway and clients in separate processes)`,
  async run(): Promise<BenchRow[]> {
    const emulator = await emulatorProcess();
    const upstream = upstreamFrom({
      endpoint: emulator.url,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    const hub = new McpHub([
      { name: 'radio', transport: 'stdio', command: process.execPath, args: [serverEntry('radio')] },
    ]);
    try {
      await load(emulator.url); // warm-up of the emulator
      const straight = await load(emulator.url);
      const direct = stats(straight).median;
      const rows = [row(`Converse straight to the emulator, ${CLIENTS} clients`, straight)];
      // One client back to back: the gateway's own cost per request, with little of the machine's load in it.
      const alone = { clients: 1, requests: 500, thinkMs: 0 };
      const direct1 = stats(await load(emulator.url, alone)).median;
      const relay = await startGateway({ port: 0, upstream });
      try {
        await load(relay.url);
        rows.push(row('Converse through the gateway, relayed (no MCP tools)', await load(relay.url), direct));
        rows.push(
          row(
            'Converse through the gateway, relayed, 1 client back to back',
            await load(relay.url, alone),
            direct1,
            false,
          ),
        );
      } finally {
        await relay.close();
      }
      await hub.start();
      const injecting = await startGateway({ port: 0, upstream, toolset: new HubToolset(hub) });
      try {
        await load(injecting.url);
        rows.push(
          row('Converse through the gateway, MCP tools added (none called)', await load(injecting.url), direct),
          row(
            'Converse through the gateway, MCP tools added, 1 client back to back',
            await load(injecting.url, alone),
            direct1,
            false,
          ),
        );
      } finally {
        await injecting.close();
      }
      return rows;
    } finally {
      await hub.close();
      emulator.stop();
    }
  },
};
