/** Saved conversations: SQLite by default, PostgreSQL by URL. */
import { loadOptional } from '../optional-dependency.js';
import type { SessionStore } from './session.js';

export { SessionError } from './session.js';
export type { Session, SessionStore, SessionSummary } from './session.js';
export { defaultSessionsPath } from './sessions-path.js';
export type { SqliteSessionStore } from './sqlite-session-store.js';
export type { PgSessionStore } from './pg-session-store.js';

/** Drivers load on demand: a CLI run without --session never pays for pg or better-sqlite3. */
export async function openSessionStore(options: { databaseUrl?: string; path?: string } = {}): Promise<SessionStore> {
  if (options.databaseUrl) {
    const { PgSessionStore } = await loadOptional(
      'pg',
      'Sessions in PostgreSQL',
      () => import('./pg-session-store.js'),
    );
    return PgSessionStore.open(options.databaseUrl);
  }
  const { SqliteSessionStore } = await loadOptional(
    'better-sqlite3',
    'Saved sessions (--session)',
    () => import('./sqlite-session-store.js'),
  );
  return new SqliteSessionStore(options.path);
}
