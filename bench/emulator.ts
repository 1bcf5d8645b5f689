/** Emulator throughput with the real SDK: Converse requests/s and ConverseStream events/s, 1 and 16 clients. */
import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startEmulator } from '../src/emulator/index.js';
import type { BenchRow, BenchSuite } from './harness.js';

const DURATION_MS = 3_000;
const input = {
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  messages: [{ role: 'user' as const, content: [{ text: 'What is the most popular song on WZPZ?' }] }],
};

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
          for await (const _ of response.stream ?? []) events++;
        } else {
          await sdk.send(new ConverseCommand(input));
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
const body = JSON.stringify(${JSON.stringify({ messages: input.messages })});
let done = 0;
const end = Date.now() + ms;
const one = () => new Promise((resolve, reject) => {
  const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
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
      return new Promise<number>((resolve) => child.on('close', () => resolve(Number(out.trim()) || 0)));
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
