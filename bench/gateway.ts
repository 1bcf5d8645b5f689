/**
 * The gateway's added latency (target < 2 ms per request, docs/performance.md): 32 concurrent clients in their own
 * process send Converse requests straight to the emulator and through the gateway (relayed unchanged, and with MCP
 * tools injected, judged against the same request with the tools sent straight), the targets in turns
 * (`interleaved`). The gateways are `mcp-bedrock gateway` as users start it and the emulator runs in its own process
 * too, so the gateway's cost is not hidden by, or added to, the emulator's or the bench's; the gateway has a CPU to
 * itself as deployed (`placeProcesses`). The load is bounded: each client waits 100 ms between requests (~300
 * requests/s in all, ten times what 32 clients waiting about a second on real Bedrock would send), so latencies
 * measure work rather than a queue. One client alone shows the gateway's intrinsic cost per request.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot, serverEntry } from '../src/package-root.js';
import { stats, type BenchRow, type BenchSuite } from './harness.js';

const CLIENTS = 32;
const REQUESTS_PER_CLIENT = 40;
const THINK_MS = 100;
/**
 * Loads each target takes before it is measured: V8 goes on compiling a server's hot paths on its helper threads
 * for a few thousand requests (after one load of 1,280 they still took about 0.5 ms of CPU per request from the
 * two cores the emulator and the clients share; after three, almost none).
 */
const WARM_UP_LOADS = 3;
/** Slices each target's measured load is cut into (see `interleaved`). */
const ROUNDS = 5;
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const BODY = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hello there' }] }] });

/** Where the bench's processes run: the gateway on a CPU of its own, the clients and the emulator on the others. */
interface Placement {
  /** The command and arguments that start a gateway process on its CPU. */
  gateway(args: string[]): [string, string[]];
  /** The command and arguments that start a client or emulator process on the other CPUs. */
  elsewhere(args: string[]): [string, string[]];
  /** Says where each process ran, for the rows' notes. */
  note: string;
}

/** The CPUs `pid` may run on, as taskset lists them (`0,1` or `0-3`), or undefined without taskset. */
function affinityOf(pid: number): number[] | undefined {
  const shown = spawnSync('taskset', ['-c', '-p', String(pid)], { encoding: 'utf8' });
  const list = shown.status === 0 ? /list:\s*(\S+)/.exec(shown.stdout)?.[1] : undefined;
  return list?.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    return Array.from({ length: (to as number) - from + 1 }, (_, i) => from + i);
  });
}

/**
 * The gateway on a CPU of its own, the clients and the emulator on the others: a deployed gateway has its host to
 * itself, with Bedrock and the clients elsewhere. Unplaced, three busy processes share the machine's two cores
 * and the gateway's rows also count the time the clients and the emulator wait for a core it holds
 * (docs/performance.md, "How the gateway is measured"). Needs Linux's taskset and two CPUs; without them the
 * processes run where the system puts them, and the rows say so.
 */
function placeProcesses(): Placement {
  const cpus = process.platform === 'linux' ? affinityOf(process.pid) : undefined;
  if (!cpus || cpus.length < 2) {
    const unplaced = (args: string[]): [string, string[]] => [process.execPath, args];
    return { gateway: unplaced, elsewhere: unplaced, note: 'processes not placed (needs Linux taskset and two CPUs)' };
  }
  const own = String(cpus[cpus.length - 1]);
  const others = cpus.slice(0, -1).join(',');
  return {
    gateway: (args) => ['taskset', ['-c', own, process.execPath, ...args]],
    elsewhere: (args) => ['taskset', ['-c', others, process.execPath, ...args]],
    note: `gateway on CPU ${own}, clients and emulator on CPU ${others}`,
  };
}

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

const PACED = { clients: CLIENTS, requests: REQUESTS_PER_CLIENT, thinkMs: THINK_MS };

async function load(placement: Placement, base: string, shape = PACED, body = BODY): Promise<number[]> {
  const url = `${base}/model/${encodeURIComponent(MODEL)}/converse`;
  const args = [shape.clients, shape.requests, shape.thinkMs].map(String);
  const [command, argv] = placement.elsewhere(['-e', LOAD_SCRIPT, url, ...args, body]);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`load against ${url} failed: ${err}`);
  return JSON.parse(out) as number[];
}

type Shape = typeof PACED;

/**
 * Every target's latencies, measured in turns: each target's share of the load goes in `ROUNDS` slices, one
 * target after the other, so that a change in the shared machine's speed over the run (seen here: the straight
 * reference moving by a third between two loads a minute apart) falls on every target alike instead of on
 * whichever ran then. Each target first takes `warmUpLoads` whole loads.
 */
async function interleaved<K extends string>(
  placement: Placement,
  targets: Record<K, { url: string; body: string }>,
  shape: Shape,
  warmUpLoads = 0,
): Promise<Record<K, number[]>> {
  const names = Object.keys(targets) as K[];
  const latencies = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < warmUpLoads; i++)
    for (const name of names) await load(placement, targets[name].url, shape, targets[name].body);
  const slice = { ...shape, requests: Math.ceil(shape.requests / ROUNDS) };
  for (let round = 0; round < ROUNDS; round++)
    for (const name of names) {
      latencies[name].push(...(await load(placement, targets[name].url, slice, targets[name].body)));
    }
  return latencies;
}

/** A CLI process started as users start it; resolves with the URL it prints once it listens. */
async function cliProcess(
  [command, args]: [string, string[]],
  listening: RegExp,
): Promise<{ url: string; stop: () => void }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = listening.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.on('close', () => reject(new Error(`${args.join(' ')} exited before listening: ${out}`)));
  });
  return { url, stop: () => child.kill() };
}

const CLI = (): string => join(packageRoot(), 'dist', 'src', 'cli', 'main.js');

/** The emulator, in its own process on the clients' CPUs. */
function emulatorProcess(placement: Placement): Promise<{ url: string; stop: () => void }> {
  return cliProcess(placement.elsewhere([CLI(), 'emulator', '--port', '0']), /listening on (http:\/\/\S+)/);
}

/** `mcp-bedrock gateway` in front of `upstream`, on its own CPU: relayed without `config`, with its MCP tools. */
function gatewayProcess(
  placement: Placement,
  upstream: string,
  config?: string,
): Promise<{ url: string; stop: () => void }> {
  const tools = config === undefined ? ['--no-mcp'] : ['--config', config];
  const args = [CLI(), 'gateway', '--port', '0', '--upstream', upstream, ...tools];
  return cliProcess(placement.gateway(args), /gateway on (http:\/\/\S+)/);
}

/**
 * The body the gateway sends upstream for `BODY` with `config`'s tools added, caught by a listener: the reference
 * for the rows with MCP tools is this request sent straight to the emulator, so what the emulator spends on
 * reading the tool definitions (about 0.1 ms alone, 0.3 ms under load) is not counted as the gateway's.
 */
async function upstreamBody(placement: Placement, config: string): Promise<string> {
  let heard = '';
  const listener = createServer((req, res) => {
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (heard += chunk));
    req.on('end', () => {
      const answer = { output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'end_turn' };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...answer, usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, metrics: {} }));
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as AddressInfo;
  const gateway = await gatewayProcess(placement, `http://127.0.0.1:${port}`, config);
  try {
    await load(placement, gateway.url, { clients: 1, requests: 1, thinkMs: 0 });
    return heard;
  } finally {
    gateway.stop();
    listener.close();
  }
}

/**
 * A latency row; with `direct`, the added latency over pass-through, judged against the target when `judged`.
 * `over` ends the note: what `direct` measured when it is not the client's request itself, or, on the reference
 * row, where the processes ran.
 */
function row(name: string, latencies: number[], direct?: number, judged = true, over = ''): BenchRow {
  const s = stats(latencies);
  const base: BenchRow = { suite: 'gateway', name, unit: 'ms', value: s.median, p90: s.p90, samples: latencies.length };
  if (direct === undefined) return { ...base, note: `pass-through reference${over}` };
  const added = s.median - direct;
  return {
    ...base,
    floor: direct,
    ...(judged && { target: '< 2 ms added (median)', ok: added < 2 }),
    note: `adds ${added.toFixed(2)} ms per request${over}`,
  };
}

/** The rows: every target measured in turns under 32 paced clients, then by one client back to back. */
async function measure(placement: Placement, config: string): Promise<BenchRow[]> {
  const running: { stop: () => void }[] = [];
  const start = async (launch: Promise<{ url: string; stop: () => void }>): Promise<string> => {
    const child = await launch;
    running.push(child);
    return child.url;
  };
  try {
    const emulator = await start(emulatorProcess(placement));
    const relay = await start(gatewayProcess(placement, emulator));
    const injecting = await start(gatewayProcess(placement, emulator, config));
    const withTools = await upstreamBody(placement, config);
    const targets = {
      direct: { url: emulator, body: BODY },
      relayed: { url: relay, body: BODY },
      directWithTools: { url: emulator, body: withTools },
      injected: { url: injecting, body: BODY },
    };
    const measured = await interleaved(placement, targets, PACED, WARM_UP_LOADS);
    // One client back to back: the gateway's own cost per request, with little of the machine's load in it.
    const alone = await interleaved(placement, targets, { clients: 1, requests: 500, thinkMs: 0 });
    const median = (l: number[]): number => stats(l).median;
    const over = ' over the same request with tools straight to the emulator';
    const rows = [
      row(
        `Converse straight to the emulator, ${CLIENTS} clients`,
        measured.direct,
        undefined,
        false,
        `; ${placement.note}`,
      ),
      row('Converse through the gateway, relayed (no MCP tools)', measured.relayed, median(measured.direct)),
      row('Converse through the gateway, relayed, 1 client back to back', alone.relayed, median(alone.direct), false),
      row(
        `Converse straight to the emulator, with the gateway's MCP tools in the request, ${CLIENTS} clients`,
        measured.directWithTools,
        median(measured.direct),
        false,
        ' (the emulator reading the tool definitions)',
      ),
      row(
        'Converse through the gateway, MCP tools added (none called)',
        measured.injected,
        median(measured.directWithTools),
        true,
        over,
      ),
      row(
        'Converse through the gateway, MCP tools added, 1 client back to back',
        alone.injected,
        median(alone.directWithTools),
        false,
        over,
      ),
    ];
    return rows;
  } finally {
    for (const child of running) child.stop();
  }
}

export const gatewaySuite: BenchSuite = {
  name: 'gateway',
  description: `gateway latency, ${CLIENTS} concurrent clients (emulator, gateway and clients in separate processes)`,
  async run(): Promise<BenchRow[]> {
    // The MCP tools the injecting gateway adds: the radio server's top_song, from a config file as users give it.
    const dir = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
    const config = join(dir, 'mcp.json');
    const radio = { command: process.execPath, args: [serverEntry('radio')] };
    writeFileSync(config, JSON.stringify({ mcpServers: { radio } }));
    try {
      return await measure(placeProcesses(), config);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
