import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { capabilitiesFor } from '../../bridge/entries/converse.js';
import { HubToolset, McpHub, type JsonObject, type ServerConfig, executeTool } from '../../bridge/index.js';
import { bundledServers } from './servers.js';
import { EVERYTHING_ENTRY } from '../support/server-everything.js';

// Tests never reach the internet: server-everything's gzip tool fetches a GitHub URL by default, so it gets a data:
// URI, and the server may fetch from no real domain at all.
const OFFLINE = { GZIP_ALLOWED_DOMAINS: 'offline.invalid' };
const GZIP_INPUT = { data: `data:text/plain;base64,${Buffer.from('hello offline').toString('base64')}` };
const claude = capabilitiesFor('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
const context = () => ({ signal: new AbortController().signal, timeoutMs: 10_000 });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts server-everything with a network transport on a free port and waits until it listens. */
async function startEverything(transport: 'streamableHttp' | 'sse'): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING_ENTRY, transport], {
    env: { ...process.env, ...OFFLINE, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => /listening|running/i.test(d.toString()) && resolve());
    child.on('exit', (code) => reject(new Error(`server-everything exited with ${code}`)));
  });
  return { child, port };
}

async function checkEverything(config: ServerConfig): Promise<void> {
  const hub = new McpHub([config]);
  await hub.start();
  try {
    expect(hub.servers()[0]).toMatchObject({ status: 'connected' });
    const toolset = new HubToolset(hub);
    const listed = toolset.list().map((d) => d.tool);
    expect(listed).toEqual(
      expect.arrayContaining(['echo', 'get-sum', 'get-tiny-image', 'get-resource-links', 'get-structured-content']),
    );
    const { tools, warnings } = toolset.toolSpecs(claude);
    expect(warnings).toEqual([]);
    expect(tools).toHaveLength(listed.length);
    const run = (name: string, input: object) =>
      executeTool(toolset, { toolUseId: 't1', name, input: input as never }, context());
    expect(await run('echo', { message: 'hi' })).toEqual({
      toolUseId: 't1',
      content: [{ text: 'Echo: hi' }],
      status: 'success',
    });
    const image = await run('get-tiny-image', {});
    const block = image.content.find((b) => 'image' in b) as {
      image: { format: string; source: { bytes: Uint8Array } };
    };
    expect(block.image.format).toBe('png');
    expect([...block.image.source.bytes.slice(1, 4)]).toEqual([80, 78, 71]);
    expect(
      JSON.stringify((await run('get-resource-reference', { resourceType: 'Text', resourceId: 1 })).content),
    ).toContain('demo://resource/dynamic/text/1');
    expect(JSON.stringify((await run('get-resource-links', { count: 2 })).content)).toContain('Resource: ');
    const structured = await run('get-structured-content', { location: 'Chicago' });
    expect(structured.content[0]).toMatchObject({ json: { conditions: expect.any(String) } });
    // Every tool answers through the hub with a valid result (errors included: this client offers no sampling).
    for (const d of toolset.list()) {
      const properties = (d.inputSchema['properties'] ?? {}) as Record<string, { type?: string; enum?: unknown[] }>;
      const required = (d.inputSchema['required'] ?? []) as string[];
      const args =
        d.tool === 'gzip-file-as-resource'
          ? GZIP_INPUT
          : Object.fromEntries(
              required.map((key) => {
                const p = properties[key] ?? {};
                return [
                  key,
                  p.enum?.[0] ?? (p.type === 'number' || p.type === 'integer' ? 1 : p.type === 'boolean' ? false : 'x'),
                ];
              }),
            );
      const result = await executeTool(
        toolset,
        { toolUseId: d.name, name: d.name, input: args as JsonObject },
        {
          signal: new AbortController().signal,
          timeoutMs: 1_500,
        },
      );
      expect(result.content.length, d.name).toBeGreaterThan(0);
      expect(['success', 'error']).toContain(result.status);
    }
    const gzip = await run('gzip-file-as-resource', GZIP_INPUT);
    expect(gzip.status).toBe('success');
    expect(JSON.stringify(gzip.content)).toContain('README.md.gz');
    const failed = await run('get-sum', { a: 'x' });
    expect(failed.status).toBe('error');
    expect(JSON.stringify(failed.content)).toContain('expected number');
  } finally {
    await hub.close();
  }
}

describe('McpHub', () => {
  it('connects @modelcontextprotocol/server-everything over stdio and maps every kind of result', async () => {
    await checkEverything({
      name: 'everything',
      transport: 'stdio',
      command: process.execPath,
      args: [EVERYTHING_ENTRY, 'stdio'],
      env: OFFLINE,
    });
  });

  describe('over Streamable HTTP', () => {
    let child: ChildProcess | undefined;
    afterAll(() => child?.kill());

    it('connects server-everything at its /mcp endpoint', async () => {
      const started = await startEverything('streamableHttp');
      child = started.child;
      const { port } = started;
      await checkEverything({ name: 'everything', transport: 'http', url: `http://127.0.0.1:${port}/mcp` });
    });
  });

  it('runs the four bundled servers at once; killing one leaves the others answering and it restarts', async () => {
    const hub = new McpHub(bundledServers());
    await hub.start();
    try {
      expect(hub.servers().map((s) => `${s.name}:${s.status}`)).toEqual([
        'orders:connected',
        'radio:connected',
        'expenses:connected',
        'utilities:connected',
      ]);
      const toolset = new HubToolset(hub);
      const radio = hub.servers().find((s) => s.name === 'radio');
      process.kill(radio?.pid as number, 'SIGKILL');
      await expect.poll(() => hub.servers().find((s) => s.name === 'radio')?.status).toBe('failed');
      expect(hub.servers().find((s) => s.name === 'radio')?.error).toBe('was killed by SIGKILL');
      // Its tools stay listed, and the next call restarts it.
      expect(toolset.resolve('top_song')?.descriptor?.server).toBe('radio');
      const song = await executeTool(toolset, { toolUseId: 'a', name: 'top_song', input: { sign: 'WZPZ' } }, context());
      expect(song.status).toBe('success');
      const restarted = hub.servers().find((s) => s.name === 'radio');
      expect(restarted).toMatchObject({ status: 'connected', restarts: 1, lastError: 'was killed by SIGKILL' });
      expect(restarted?.pid).not.toBe(radio?.pid);
      const order = await executeTool(
        toolset,
        { toolUseId: 'b', name: 'get_order_by_id', input: { order_id: '14826' } },
        context(),
      );
      expect(order.content[0]).toMatchObject({ json: { product: 'Backpack' } });
      const sum = await executeTool(toolset, { toolUseId: 'c', name: 'calculator', input: { expr: '2+2' } }, context());
      expect(sum.content[0]).toMatchObject({ json: { result: 4 } });
    } finally {
      await hub.close();
    }
  });

  it('reports a server that cannot start without affecting the others', async () => {
    const hub = new McpHub(
      [...bundledServers(['radio']), { name: 'broken', transport: 'stdio', command: '/nonexistent/mcp-server' }],
      { connectTimeoutMs: 5_000 },
    );
    await hub.start();
    try {
      const states = hub.servers();
      expect(states.find((s) => s.name === 'broken')).toMatchObject({
        status: 'failed',
        error: expect.stringContaining('ENOENT'),
      });
      expect(states.find((s) => s.name === 'radio')?.status).toBe('connected');
    } finally {
      await hub.close();
    }
  });

  it('passes the per-call timeout into tools/call', async () => {
    const hub = new McpHub([
      { name: 'everything', transport: 'stdio', command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'] },
    ]);
    await hub.start();
    try {
      const toolset = new HubToolset(hub);
      const slow = await executeTool(
        toolset,
        { toolUseId: 't', name: 'trigger-long-running-operation', input: { duration: 5, steps: 5 } },
        {
          signal: new AbortController().signal,
          timeoutMs: 300,
        },
      );
      expect(slow).toMatchObject({
        status: 'error',
        content: [{ text: 'trigger-long-running-operation did not answer within 300 ms.' }],
      });
    } finally {
      await hub.close();
    }
  });
});

describe('McpHub protocol features', () => {
  const changing = {
    name: 'changing',
    transport: 'stdio' as const,
    command: process.execPath,
    args: [join(process.cwd(), 'fixtures', 'mcp-tools', 'changing-server.mjs')],
  };

  it('lists every page of tools, re-lists on list_changed, and surfaces progress', async () => {
    const hub = new McpHub([changing]);
    await hub.start();
    try {
      const toolset = new HubToolset(hub);
      expect(toolset.list().map((d) => d.tool)).toEqual(['alpha', 'beta', 'gamma', 'add_tool', 'slow']);
      const version = toolset.version;
      await executeTool(toolset, { toolUseId: 't', name: 'add_tool', input: {} }, context());
      await expect.poll(() => toolset.list().map((d) => d.tool)).toContain('added_5');
      expect(toolset.version).toBeGreaterThan(version);
      const progress: string[] = [];
      const slow = await executeTool(
        toolset,
        { toolUseId: 's', name: 'slow', input: {} },
        {
          ...context(),
          onProgress: (p) => progress.push(`${p.progress}/${p.total} ${p.message}`),
        },
      );
      expect(slow.content).toEqual([{ text: 'slow done' }]);
      expect(progress).toEqual(['1/3 step 1', '2/3 step 2', '3/3 step 3']);
    } finally {
      await hub.close();
    }
  });

  describe('falling back to HTTP+SSE', () => {
    let child: ChildProcess | undefined;
    afterAll(() => child?.kill());

    it('connects a server that only speaks the older SSE transport', async () => {
      const started = await startEverything('sse');
      child = started.child;
      const { port } = started;
      const hub = new McpHub([{ name: 'legacy', transport: 'http', url: `http://127.0.0.1:${port}/sse` }]);
      await hub.start();
      try {
        expect(hub.servers()[0]).toMatchObject({ status: 'connected' });
        const echo = await executeTool(
          new HubToolset(hub),
          { toolUseId: 't', name: 'echo', input: { message: 'old' } },
          context(),
        );
        expect(echo.content).toEqual([{ text: 'Echo: old' }]);
      } finally {
        await hub.close();
      }
    });
  });
});

describe('McpHub with servers it does not start', () => {
  /** An in-process MCP server with three tools, and the client end of its in-memory transport. */
  async function inMemoryServer(): Promise<InMemoryTransport> {
    const server = new McpServer({ name: 'in-memory', version: '1.0.0' });
    for (const name of ['get_order', 'list_orders', 'delete_order']) {
      server.registerTool(name, { description: `${name} tool`, inputSchema: { id: z.string() } }, async ({ id }) => ({
        content: [{ type: 'text', text: `${name} ${id}` }],
      }));
    }
    const [client, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    return client;
  }

  it('takes a pre-built MCP transport per server and honours its tools allow and deny lists', async () => {
    const hub = new McpHub([
      { name: 'all', transport: await inMemoryServer() },
      { name: 'some', transport: await inMemoryServer(), tools: { allow: ['*_order*'], deny: ['delete_*'] } },
    ]);
    await hub.start();
    try {
      const toolset = new HubToolset(hub);
      expect(toolset.list().map((d) => `${d.server}/${d.tool}`)).toEqual([
        'all/get_order',
        'all/list_orders',
        'all/delete_order',
        'some/get_order',
        'some/list_orders',
      ]);
      const result = await executeTool(
        toolset,
        { toolUseId: 't', name: 'some__list_orders', input: { id: '7' } },
        context(),
      );
      expect(result.content).toEqual([{ text: 'list_orders 7' }]);
      const denied = await executeTool(
        toolset,
        { toolUseId: 'd', name: 'some__delete_order', input: { id: '7' } },
        context(),
      );
      expect(denied.status).toBe('error');
    } finally {
      await hub.close();
    }
  });
});
