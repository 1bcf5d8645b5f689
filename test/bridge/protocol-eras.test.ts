/**
 * The hub against a server that speaks only the 2026-07-28 revision (built here on @modelcontextprotocol/server
 * 2.x with the legacy era refused), and against our own 2025-era servers, in one hub (docs/protocol-eras.md).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { acceptedContent, createMcpHandler, inputRequired, McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ElicitationRequest, McpHub, resourceBlocks } from '../../bridge/index.js';
import { buildServer } from '../../servers/radio/server.js';
import { loadStations } from '../../servers/radio/stations.js';
import { type HttpHost, serveHttp } from '../../servers/shared/http-host.js';

/** Requests the modern server saw, by method, with the protocol version each carried in `_meta`. */
const seen: { method: string; version: unknown }[] = [];

function modernServer(): McpServer {
  const server = new McpServer(
    { name: 'modern-only', version: '1.0.0' },
    { capabilities: { tools: {}, prompts: {}, resources: {} } },
  );
  server.registerTool(
    'greet',
    { description: 'Greets someone', inputSchema: z.object({ name: z.string() }) },
    async ({ name }) => ({ content: [{ type: 'text', text: `Hello, ${name}!` }] }),
  );
  const confirmation = z.object({ confirm: z.boolean() });
  server.registerTool(
    'delete_everything',
    { description: 'Asks before deleting', inputSchema: z.object({}) },
    async (_args, ctx) => {
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', confirmation);
      if (answer === undefined)
        return inputRequired({
          inputRequests: {
            confirm: inputRequired.elicit({ message: 'Really delete everything?', requestedSchema: confirmation }),
          },
        });
      return { content: [{ type: 'text', text: answer.confirm ? 'deleted' : 'kept' }] };
    },
  );
  server.registerPrompt(
    'haiku',
    { description: 'A haiku about a topic', argsSchema: z.object({ topic: z.string() }) },
    ({ topic }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Write a haiku about ${topic}.` } }] }),
  );
  server.registerResource('notes', 'memo://notes', { mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Remember the milk.' }],
  }));
  return server;
}

/** Serves a fetch handler on node:http (what @modelcontextprotocol/node's toNodeHandler does). */
function serveFetch(handler: { fetch: (request: Request) => Promise<Response> }): Promise<Server> {
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (body.length > 0) {
      const message = JSON.parse(body.toString()) as { method?: string; params?: { _meta?: Record<string, unknown> } };
      if (message.method)
        seen.push({
          method: message.method,
          version: message.params?._meta?.['io.modelcontextprotocol/protocolVersion'],
        });
    }
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value);
    const response = await handler.fetch(
      new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 && { body }),
      }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    // Streamed, not buffered: a subscriptions/listen response stays open.
    if (response.body) Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(res);
    else res.end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let modern: Server;
let modernUrl: string;
let legacy: HttpHost;

beforeAll(async () => {
  modern = await serveFetch(createMcpHandler(modernServer, { legacy: 'reject' }));
  modernUrl = `http://127.0.0.1:${(modern.address() as AddressInfo).port}/mcp`;
  const stations = loadStations();
  legacy = await serveHttp(() => buildServer({ stations }), { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await new Promise((resolve) => modern.close(resolve));
  await legacy.close();
});

describe('both protocol eras', () => {
  it('speaks 2026-07-28 to a modern-only server and 2025-11-25 to our server, in one hub', async () => {
    const asked: ElicitationRequest[] = [];
    const hub = new McpHub(
      [
        { name: 'modern', transport: 'http', url: modernUrl },
        { name: 'radio', transport: 'http', url: legacy.url },
      ],
      {
        elicitation: async (request) => {
          asked.push(request);
          return { action: 'accept', content: { confirm: true } };
        },
      },
    );
    seen.length = 0;
    await hub.start();
    try {
      const [m, r] = hub.servers();
      expect(m).toMatchObject({ status: 'connected', protocolVersion: '2026-07-28' });
      expect(r).toMatchObject({ status: 'connected', protocolVersion: '2025-11-25' });
      expect(m?.tools.map((t) => t.name).sort()).toEqual(['delete_everything', 'greet']);
      // No initialize: every request the modern server saw carried the protocol version in _meta.
      expect(seen.some((s) => s.method === 'initialize')).toBe(false);
      expect(seen.filter((s) => s.method !== 'server/discover').every((s) => s.version === '2026-07-28')).toBe(true);

      const greeting = await hub.callTool('modern', 'greet', { name: 'Ada' });
      expect(greeting.content).toEqual([{ type: 'text', text: 'Hello, Ada!' }]);
      // input_required: the hub's elicitation handler answers, and the call is retried with inputResponses.
      const deleted = await hub.callTool('modern', 'delete_everything', {});
      expect(deleted.content).toEqual([{ type: 'text', text: 'deleted' }]);
      expect(asked).toMatchObject([{ message: 'Really delete everything?' }]);

      const prompts = await hub.listPrompts('modern');
      expect(prompts.items.map((p) => p.name)).toEqual(['haiku']);
      const prompt = await hub.getPrompt('modern', 'haiku', { topic: 'autumn' });
      expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Write a haiku about autumn.' });
      const resources = await hub.listResources('modern');
      expect(resources.items.map((x) => x.uri)).toEqual(['memo://notes']);
      const read = await hub.readResource('modern', 'memo://notes');
      expect(resourceBlocks(read)).toEqual([{ text: 'memo://notes:\nRemember the milk.' }]);

      const song = await hub.callTool('radio', 'top_song', { sign: 'WZPZ' });
      expect(song.isError).not.toBe(true);
    } finally {
      await hub.close();
    }
  });

  it('fails a modern-only server with a clear error when the entry says legacy', async () => {
    const hub = new McpHub([{ name: 'modern', transport: 'http', url: modernUrl, protocol: 'legacy' }]);
    await hub.start();
    try {
      const [state] = hub.servers();
      expect(state?.status).toBe('failed');
      expect(state?.error).toContain(modernUrl);
    } finally {
      await hub.close();
    }
  });

  it(
    'without an elicitation handler, a modern tool that asks for ' + 'input fails its call, naming server and tool',
    async () => {
      const hub = new McpHub([{ name: 'modern', transport: 'http', url: modernUrl }]);
      await hub.start();
      try {
        await expect(hub.callTool('modern', 'delete_everything', {})).rejects.toThrow(/modern\/delete_everything/);
      } finally {
        await hub.close();
      }
    },
  );
});
