/** Sessions in a SQLite file under the user's data directory (one row per session, replaced in one statement). */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { defaultSessionsPath } from './sessions-path.js';
import {
  checkName,
  deserialize,
  serialize,
  SessionError,
  type Session,
  type SessionStore,
  type SessionSummary,
} from './session.js';

const SCHEMA = `CREATE TABLE IF NOT EXISTS sessions (
  name TEXT PRIMARY KEY,
  model_id TEXT NOT NULL,
  data TEXT NOT NULL,
  message_count INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)`;

/** A SQLite failure named by its file, with what to do about a damaged one. */
function storeError(location: string, error: unknown): SessionError {
  const message = (error as Error).message;
  const damaged = /not a database|malformed|corrupt/i.test(message);
  return new SessionError(
    damaged ? 'SESSION_CORRUPT' : 'SESSION_STORE_FAILED',
    damaged
      ? `${location}: the sessions database is damaged (${message}); move it ` +
          `aside (e.g. to ${location}.bad) to start a new one`
      : `${location}: ${message}`,
  );
}

export class SqliteSessionStore implements SessionStore {
  private readonly db: Database.Database;

  constructor(readonly location: string = defaultSessionsPath()) {
    if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
    try {
      this.db = new Database(location);
      this.db.pragma('journal_mode = WAL');
      this.db.exec(SCHEMA);
    } catch (error) {
      throw storeError(location, error);
    }
  }

  async list(): Promise<SessionSummary[]> {
    const rows = this.db
      .prepare('SELECT name, model_id, message_count, updated_at FROM sessions ORDER BY updated_at DESC')
      .all() as {
      name: string;
      model_id: string;
      message_count: number;
      updated_at: string;
    }[];
    return rows.map((r) => ({ name: r.name, modelId: r.model_id, messages: r.message_count, updatedAt: r.updated_at }));
  }

  async load(name: string): Promise<Session | undefined> {
    const row = this.db
      .prepare('SELECT data, created_at, updated_at FROM sessions WHERE name = ?')
      .get(checkName(name)) as { data: string; created_at: string; updated_at: string } | undefined;
    return row && { name, ...deserialize(name, row.data), createdAt: row.created_at, updatedAt: row.updated_at };
  }

  async save(session: Session): Promise<void> {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO sessions (name, model_id, data, message_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET model_id = excluded.model_id, data = excluded.data, ` +
          'message_count = excluded.message_count, updated_at = excluded.updated_at',
      )
      .run(checkName(session.name), session.modelId, serialize(session), session.messages.length, now, now);
  }

  async delete(name: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM sessions WHERE name = ?').run(checkName(name)).changes > 0;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
