/** Emulator throughput with the real SDK: Converse requests/s and ConverseStream events/s, 1 and 16 clients. */
import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { OFF_SCRIPT_HEADER, startEmulator } from '../src/emulator/index.js';
import type { BenchRow, BenchSuite } from './harness.js';

const DURATION_MS = 3_000;
/**
 * The top_song scenario's first turn (the user guide's prompt and tool, docs/fixtures.md): a scripted answer, a
 * `tool_use` call. Without the tool offered the prompt would be off-script, and the emulator's off-script notice
 * is not what clients wait on.
 */
const input = {
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  messages: [{ role: 'user' as const, content: [{ text: 'What is the most popular song on WZPZ?' }] }],
  toolConfig: {
    tools: [
      {
        toolSpec: {
          name: 'top_song',
          description: 'Get the most popular song played on a radio station.',
          inputSchema: { json: { type: 'object', properties: { sign: { type: 'string' } }, required: ['sign'] } },
        },
      },
    ],
  },
};
const SCRIPTED_STOP = 'tool_use';

/** Fails the suite when the emulator did not play the scenario (an off-script or other answer is not measured). */
function expectScripted(stopReason: string | undefined): void {
  if (stopReason !== SCRIPTED_STOP) {
    throw new Error(`emulator bench: expected the top_song scenario's ${SCRIPTED_STOP}, got stopReason ${stopReason}`);
  }
}

async function measure(
  url: string,
  clients: number,
  stream: boolean,
): Promise<{ requests: number; events: number; seconds: number }> {
  const sdks = Array.from(
    { length: clients },
    () =>
      new BedrockRuntimeClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
        maxAttempts: 1,
        requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true }) }),
      }),
  );
  let requests = 0;
  let events = 0;
  const start = performance.now();
  const deadline = start + DURATION_MS;
  await Promise.all(
    sdks.map(async (sdk) => {
      while (performance.now() < deadline) {
        if (stream) {
          const response = await sdk.send(new ConverseStreamCommand(input));
          let stopReason: string | undefined;
          for await (const event of response.stream ?? []) {
            events++;
            stopReason = event.messageStop?.stopReason ?? stopReason;
          }
          expectScripted(stopReason);
        } else {
          expectScripted((await sdk.send(new ConverseCommand(input))).stopReason);
        }
        requests++;
      }
    }),
  );
  for (const sdk of sdks) sdk.destroy();
  return { requests, events, seconds: (performance.now() - start) / 1000 };
}

/** A plain keep-alive HTTP client in a separate process, so the emulator's own capacity is measured, not the SDK's. */
const LOAD_SCRIPT = `
const http = require('node:http');
const [url, connections, ms] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const body = JSON.stringify(${JSON.stringify({ messages: input.messages, toolConfig: input.toolConfig })});
let done = 0;
const end = Date.now() + ms;
const one = () => new Promise((resolve, reject) => {
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
    const offScript = res.headers[${JSON.stringify(OFF_SCRIPT_HEADER)}];
    if (res.statusCode !== 200 || offScript) return reject(new Error('not scripted: ' + res.statusCode));
    res.resume();
    res.on('end', () => { done++; resolve(); });
  });
  req.on('error', reject);
  req.end(body);
});
const worker = async () => { while (Date.now() < end) await one(); };
Promise.all(Array.from({ length: connections }, worker)).then(() => { console.log(done); agent.destroy(); });
`;

async function rawLoad(url: string, processes: number, connections: number): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: processes }, () => {
      const child = spawn(process.execPath, ['-e', LOAD_SCRIPT, url, String(connections), String(DURATION_MS)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      return new Promise<number>((resolve, reject) =>
        child.on('close', (code) =>
          code === 0
            ? resolve(Number(out.trim()) || 0)
            : reject(new Error(`emulator bench load client exited ${code}`)),
        ),
      );
    }),
  );
  return counts.reduce((a, b) => a + b, 0) / (DURATION_MS / 1000);
}

export const emulatorSuite: BenchSuite = {
  name: 'emulator',
  description: 'emulator throughput through the AWS SDK (client and emulator share this process and its 2 cores)',
  async run(): Promise<BenchRow[]> {
    const emulator = await startEmulator({ port: 0, logSize: 10 });
    const rows: BenchRow[] = [];
    try {
      const raw = await rawLoad(`${emulator.url}/model/${encodeURIComponent(input.modelId)}/converse`, 1, 16);
      rows.push({
        suite: 'emulator',
        name: 'Converse, 16 connections from a plain HTTP client process',
        unit: 'req/s',
        value: raw,
        target: '≥ 3000 req/s',
        ok: raw >= 3000,
        note: "the emulator's own capacity",
      });
      for (const clients of [1, 16]) {
        const plain = await measure(emulator.url, clients, false);
        const rate = plain.requests / plain.seconds;
        rows.push({
          suite: 'emulator',
          name: `Converse via the AWS SDK, ${clients} client${clients > 1 ? 's' : ''}`,
          unit: 'req/s',
          value: rate,
          samples: plain.requests,
          note: 'SDK and emulator share one process',
        });
        const streamed = await measure(emulator.url, clients, true);
        rows.push({
          suite: 'emulator',
          name: `ConverseStream, ${clients} client${clients > 1 ? 's' : ''}`,
          unit: 'events/s',
          value: streamed.events / streamed.seconds,
          samples: streamed.requests,
          note: `${(streamed.requests / streamed.seconds).toFixed(0)} streams/s`,
        });
      }
    } finally {
      await emulator.close();
    }
    return rows;
  },
};
