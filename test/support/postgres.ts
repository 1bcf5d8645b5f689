/**
 * PostgreSQL for tests: `TEST_DATABASE_URL` when set (CI sets it when a server answers locally), a unique schema
 * per use, all dropped when the file's tests end. Without the variable the caller's tests skip with a reason.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';

export const databaseUrl = process.env['TEST_DATABASE_URL'];

/** Call once per test file; returns a factory of fresh schema names. */
export function postgresSchemas(what: string): () => string {
  if (!databaseUrl) console.log(`${what} on PostgreSQL: skipped because TEST_DATABASE_URL is not set`);
  const schemas: string[] = [];
  afterAll(async () => {
    if (!databaseUrl || schemas.length === 0) return;
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });
  return () => {
    const schema = `${what.replace(/\W/g, '_')}_${randomUUID().replace(/-/g, '')}`;
    schemas.push(schema);
    return schema;
  };
}
