/** Sessions in PostgreSQL (`--database-url` / MCP_BEDROCK_DATABASE_URL), one row per session, upserted atomically. */
import pg from 'pg';
import {
  checkName,
  deserialize,
  serialize,
  SessionError,
  type Session,
  type SessionStore,
  type SessionSummary,
} from './session.js';

export class PgSessionStore implements SessionStore {
  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  static async open(url: string, schema?: string): Promise<PgSessionStore> {
    const pool = new pg.Pool({ connectionString: url, max: 2, ...(schema && { options: `-c search_path=${schema}` }) });
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`);
    await pool.query(`CREATE TABLE IF NOT EXISTS mcp_bedrock_sessions (
      name TEXT PRIMARY KEY, model_id TEXT NOT NULL, data JSONB NOT NULL, message_count INTEGER NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    return new PgSessionStore(pool, url.replace(/\/\/[^@]*@/, '//***@'));
  }

  async list(): Promise<SessionSummary[]> {
    const { rows } = await this.pool.query<{ name: string; model_id: string; message_count: number; updated_at: Date }>(
      'SELECT name, model_id, message_count, updated_at FROM mcp_bedrock_sessions ORDER BY updated_at DESC',
    );
    return rows.map((r) => ({
      name: r.name,
      modelId: r.model_id,
      messages: r.message_count,
      updatedAt: r.updated_at.toISOString(),
    }));
  }

  async load(name: string): Promise<Session | undefined> {
    const { rows } = await this.pool.query<{ data: unknown; created_at: Date; updated_at: Date }>(
      'SELECT data, created_at, updated_at FROM mcp_bedrock_sessions WHERE name = $1',
      [checkName(name)],
    );
    const row = rows[0];
    return (
      row && {
        name,
        ...deserialize(name, JSON.stringify(row.data)),
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      }
    );
  }

  async save(session: Session): Promise<void> {
    await this.pool
      .query(
        `INSERT INTO mcp_bedrock_sessions (name, model_id, data, message_count) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET model_id = EXCLUDED.model_id, data = EXCLUDED.data, ` +
          'message_count = EXCLUDED.message_count, updated_at = now()',
        [checkName(session.name), session.modelId, serialize(session), session.messages.length],
      )
      .catch((error: Error) => {
        // The driver's text alone ("invalid input syntax…") does not say what failed or where.
        throw new SessionError(
          'SESSION_STORE_FAILED',
          `saving session "${session.name}" in PostgreSQL (${this.location}) failed: ${error.message}`,
        );
      });
  }

  async delete(name: string): Promise<boolean> {
    return (
      ((await this.pool.query('DELETE FROM mcp_bedrock_sessions WHERE name = $1', [checkName(name)])).rowCount ?? 0) > 0
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
