/**
 * `mcp-bedrock gateway` on SIGTERM drains (docs/deploy.md): it stops accepting, the request in flight gets its
 * answer, then the process exits 0. The built CLI, an upstream that holds its answer until the test releases it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { bareEnv, serveCli } from '../support/cli-process.js';
import { converseAnswer } from '../security/gateway-raw-http.js';

const home = mkdtempSync(join(tmpdir(), 'gateway-drain-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Resolves once a connection to `port` is refused (the listener closed), trying again while it is accepted. */
async function refused(port: number): Promise<void> {
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (!accepted) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

it('drains on SIGTERM: stops accepting, answers the request in flight, then exits 0', async () => {
  let heard: () => void = () => {};
  const arrived = new Promise<void>((resolve) => (heard = resolve));
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const upstream: Server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      heard();
      await released;
      const json = JSON.stringify(converseAnswer('answered while draining'));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const gateway = await serveCli(['gateway', '--port', '0', '--upstream', upstreamUrl, '--no-mcp'], bareEnv(home));
  const exited = new Promise<number | null>((resolve) => gateway.child.once('exit', (code) => resolve(code)));
  try {
    const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hello' }] }] });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${gateway.url}/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
    await arrived;
    gateway.child.kill('SIGTERM');
    // New connections are refused while the request is still held upstream…
    await refused(Number(new URL(gateway.url).port));
    expect(gateway.child.exitCode).toBe(null);
    // …and the request in flight gets its answer before the process exits, with 0.
    release();
    const { status, body: text } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(text).output.message.content).toEqual([{ text: 'answered while draining' }]);
    expect(await exited).toBe(0);
  } finally {
    release();
    await gateway.stop();
    upstream.closeAllConnections();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  }
});
