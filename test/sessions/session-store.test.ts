import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { databaseUrl, postgresSchemas } from '../support/postgres.js';
import type { Message } from '../../bridge/index.js';
import type { SessionStore } from '../../src/sessions/index.js';
import { PgSessionStore } from '../../src/sessions/pg-session-store.js';
import { SqliteSessionStore } from '../../src/sessions/sqlite-session-store.js';

const newSchema = postgresSchemas('sessions');

const usage = {
  inputTokens: 10,
  outputTokens: 5,
  totalTokens: 15,
  cacheReadInputTokens: 0,
  cacheWriteInputTokens: 0,
  latencyMs: 12,
};
const messages: Message[] = [
  {
    role: 'user',
    content: [
      { text: 'look at this' },
      { image: { format: 'png', source: { bytes: new Uint8Array([137, 80, 78, 71]) } } },
    ],
  },
  { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'top_song', input: { sign: 'WZPZ' } } }] },
  {
    role: 'user',
    content: [{ toolResult: { toolUseId: 't1', status: 'success', content: [{ json: { song: 'Elemental Hotel' } }] } }],
  },
];

const backends: [string, () => Promise<SessionStore>, boolean][] = [
  [
    'SQLite',
    async () => new SqliteSessionStore(join(mkdtempSync(join(tmpdir(), 'sessions-')), 'sessions.sqlite')),
    true,
  ],
  [
    'PostgreSQL',
    async () => {
      return PgSessionStore.open(databaseUrl as string, newSchema());
    },
    databaseUrl !== undefined,
  ],
];

describe.each(backends)('session store on %s', (_name, open, enabled) => {
  it.skipIf(!enabled)('saves, lists, loads (binary blocks intact), replaces and deletes sessions', async () => {
    const store = await open();
    await store.save({ name: 'support', modelId: 'us.amazon.nova-pro-v1:0', messages, usage });
    const loaded = await store.load('support');
    expect(loaded?.messages).toEqual(messages);
    expect(loaded?.messages[0]?.content[1]).toEqual({
      image: { format: 'png', source: { bytes: new Uint8Array([137, 80, 78, 71]) } },
    });
    await store.save({ name: 'support', modelId: 'us.amazon.nova-pro-v1:0', messages: messages.slice(0, 1), usage });
    expect((await store.list()).map((s) => [s.name, s.messages])).toEqual([['support', 1]]);
    expect(await store.delete('support')).toBe(true);
    expect(await store.load('support')).toBeUndefined();
    await expect(store.save({ name: '../etc', modelId: 'x', messages, usage })).rejects.toThrow(
      'session name: expected 1-64 letters',
    );
    await store.close();
  });
});

it('reports a damaged session clearly instead of crashing', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'sessions-')), 'sessions.sqlite');
  const store = new SqliteSessionStore(path);
  await store.save({ name: 'ok', modelId: 'm', messages, usage });
  const db = new Database(path);
  db.prepare(
    'UPDATE sessions SET data = ' +
      '\'{"modelId":"m","messages":[{"role":"user","content":[]}],"usage":{}}\' ' +
      "WHERE name = 'ok'",
  ).run();
  db.close();
  await expect(store.load('ok')).rejects.toThrow(/session "ok" is damaged at/);
  await store.close();
});
