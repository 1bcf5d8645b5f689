/**
 * Attack: exhaust the gateway's or the emulator's memory with one huge body (300 MB took the gateway to 980 MB
 * RSS) or with many large ones the emulator keeps in its request log. Bodies beyond Bedrock's documented
 * 25,000,000 bytes get 413 without being buffered or sent on; the request log is bounded in bytes.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startGateway, upstreamFrom, type Gateway } from '../../src/gateway/index.js';
import { MAX_REQUEST_BYTES } from '../../src/http/request-body.js';
import { rawRequest, startListener, type Listener } from './gateway-raw-http.js';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const TARGET = `/model/${encodeURIComponent(MODEL)}/converse`;

let upstream: Listener;
let gateway: Gateway;
let emulator: Emulator;

beforeAll(async () => {
  upstream = await startListener();
  gateway = await startGateway({ port: 0, upstream: upstreamFrom({ endpoint: upstream.url }) });
  emulator = await startEmulator({ port: 0, logBytes: 3_000_000 });
});
afterAll(async () => {
  await gateway.close();
  await emulator.close();
  await upstream.close();
});

/** Streams `total` bytes of one JSON text as a chunked body (no content-length) and resolves with the status. */
function chunked(url: string, total: number): Promise<{ status: number; errorType: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${url}${TARGET}`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, errorType: String(res.headers['x-amzn-errortype']) });
        outgoing.destroy();
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    const chunk = Buffer.alloc(1 << 20, 'x');
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!outgoing.write(chunk)) return void outgoing.once('drain', pump);
      }
      outgoing.end();
    };
    outgoing.write('{"messages":"');
    pump();
  });
}

describe('request size limits', () => {
  it('answers 413 to a declared 300 MB body at once, on the gateway and the emulator', async () => {
    for (const url of [gateway.url, emulator.url]) {
      const answer = await rawRequest(url, {
        target: TARGET,
        headers: { 'content-length': String(300_000_000) },
        body: '{"messages":',
      });
      expect(answer.status).toBe(413);
      expect(answer.headers['x-amzn-errortype']).toMatch(/^ValidationException/);
      expect(JSON.parse(answer.body)).toEqual({
        message: `Request exceeds the maximum allowed size of ${MAX_REQUEST_BYTES} bytes.`,
      });
    }
    expect(upstream.requests).toEqual([]);
  });

  it('answers 413 to a chunked body once it passes the limit, never sending it upstream', async () => {
    for (const url of [gateway.url, emulator.url]) {
      expect(await chunked(url, MAX_REQUEST_BYTES + (1 << 20))).toMatchObject({ status: 413 });
    }
    expect(upstream.requests).toEqual([]);
    // A body within the limit still goes through.
    const small = await rawRequest(gateway.url, { target: TARGET, body: JSON.stringify({ messages: [] }) });
    expect(small.status).toBe(200);
  });

  it('keeps the emulator request log within its byte bound', async () => {
    const text = 'y'.repeat(1_000_000);
    for (let i = 0; i < 6; i++) {
      const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: `${i} ${text}` }] }] });
      expect((await rawRequest(emulator.url, { target: TARGET, body })).status).toBe(200);
    }
    const logged = emulator.requests.map((r) => JSON.stringify(r.body).length);
    expect(logged.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3_000_000 + 1_000);
    expect(logged.length).toBeGreaterThan(0);
    // The newest request is always kept.
    expect(JSON.stringify(emulator.requests.at(-1)?.body)).toContain('"5 yyy');
  });
});
