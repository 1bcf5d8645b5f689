/**
 * Small leaks and missing hints: PostgreSQL driver text never reaches a tool's caller; a damaged sessions.sqlite
 * is named; a crashing server's output is kept; every bundled tool declares both readOnlyHint and
 * destructiveHint (what an MCP conformance probe with --require-annotations checks, and what approval policies
 * and hosts read).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { McpHub } from '../../bridge/index.js';
import { buildServer } from '../../servers/orders/server.js';
import { PgOrdersStore } from '../../servers/orders/pg-store.js';
import { PgSessionStore } from '../../src/sessions/pg-session-store.js';
import { SqliteSessionStore } from '../../src/sessions/sqlite-session-store.js';
import { inMemoryClient, stdioClient } from '../servers/mcp-client.js';
import { databaseUrl, postgresSchemas } from '../support/postgres.js';

const newSchema = postgresSchemas('security-leaks');

describe.skipIf(!databaseUrl)('PostgreSQL text', () => {
  it('a NUL byte in get_user is refused by validation, not answered with the driver error', async () => {
    const store = await PgOrdersStore.open(databaseUrl as string, { schema: newSchema() });
    const client = await inMemoryClient(buildServer({ store }));
    try {
      const result = (await client.callTool({ name: 'get_user', arguments: { key: 'email', value: 'a\u0000b' } })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      expect(result.isError).toBe(true);
      const text = result.content.map((c) => c.text).join(' ');
      expect(text).toContain('value must not contain NUL characters');
      expect(text).not.toMatch(/invalid byte sequence|UTF8|0x00/);
    } finally {
      await client.close();
      await store.close();
    }
  });

  it('a store failure answers a plain error, the driver text going to stderr only', async () => {
    const store = await PgOrdersStore.open(databaseUrl as string, { schema: newSchema() });
    await store.close();
    const client = await inMemoryClient(buildServer({ store }));
    try {
      const result = (await client.callTool({ name: 'get_order_by_id', arguments: { order_id: '14826' } })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      expect(result).toMatchObject({ isError: true });
      expect(result.content[0]?.text).toBe('The orders database could not answer this request; try again later.');
    } finally {
      await client.close();
    }
  });

  it('a session whose text holds NUL saves in PostgreSQL and loads back unchanged', async () => {
    const sessions = await PgSessionStore.open(databaseUrl as string, newSchema());
    try {
      const usage = {
        inputTokens: 1,
        outputTokens: 1,
        totalTokens: 2,
        cacheReadInputTokens: 0,
        cacheWriteInputTokens: 0,
        latencyMs: 1,
      };
      const messages = [{ role: 'user' as const, content: [{ text: 'pasted\u0000binary' }] }];
      await sessions.save({ name: 'nul', modelId: 'm', messages, usage });
      expect((await sessions.load('nul'))?.messages).toEqual(messages);
    } finally {
      await sessions.close();
    }
  });
});

describe('sessions and server output', () => {
  it('a damaged sessions.sqlite is named in the error, with what to do', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'damaged-')), 'sessions.sqlite');
    writeFileSync(file, 'this is not a database, it was overwritten by something else '.repeat(100));
    expect(() => new SqliteSessionStore(file)).toThrow(`${file}: the sessions database is damaged`);
    expect(() => new SqliteSessionStore(file)).toThrow('move it aside');
  });

  it("a crashing server's stderr is kept and shown with its exit, not just 'exited (1)'", async () => {
    const fixture = join(process.cwd(), 'fixtures', 'mcp-tools', 'misbehaving-server.mjs');
    const hub = new McpHub([
      { name: 'boom', transport: 'stdio', command: process.execPath, args: [fixture, 'crash-start'] },
    ]);
    await hub.start();
    expect(hub.servers()[0]).toMatchObject({
      error: 'exited with code 1 before it finished starting (stderr: boom: missing API key)',
      stderr: ['starting up', 'boom: missing API key'],
    });
    await hub.close();
  });
});

describe('tool annotations (--require-annotations)', () => {
  for (const server of ['orders', 'radio', 'expenses', 'utilities']) {
    it(`every ${server} tool declares readOnlyHint and destructiveHint`, async () => {
      const client = await stdioClient(server, server === 'orders' ? ['--db', ':memory:'] : []);
      try {
        const { tools } = await client.listTools();
        expect(tools.length).toBeGreaterThan(0);
        for (const tool of tools) {
          expect(typeof tool.annotations?.readOnlyHint, `${tool.name} readOnlyHint`).toBe('boolean');
          expect(typeof tool.annotations?.destructiveHint, `${tool.name} destructiveHint`).toBe('boolean');
          // Consistent: a read-only tool destroys nothing.
          if (tool.annotations?.readOnlyHint) expect(tool.annotations.destructiveHint).toBe(false);
        }
      } finally {
        await client.close();
      }
    });
  }
});
