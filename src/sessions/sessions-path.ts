/** Where saved conversations live by default: `sessions.sqlite` in the per-user data directory. */
import { join } from 'node:path';
import { dataDir } from '../data-dir.js';

/** The default SQLite file of saved sessions. */
export function defaultSessionsPath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  return join(dataDir(env, platform), 'sessions.sqlite');
}
