/** Saved conversations: SQLite by default, PostgreSQL by URL. */
import { PgSessionStore } from './pg-session-store.js';
import type { SessionStore } from './session.js';
import { SqliteSessionStore } from './sqlite-session-store.js';

export { SessionError } from './session.js';
export type { Session, SessionStore, SessionSummary } from './session.js';
export { SqliteSessionStore, defaultSessionsPath } from './sqlite-session-store.js';
export { PgSessionStore } from './pg-session-store.js';

export async function openSessionStore(options: { databaseUrl?: string; path?: string } = {}): Promise<SessionStore> {
  if (options.databaseUrl) return PgSessionStore.open(options.databaseUrl);
  return new SqliteSessionStore(options.path);
}
