/** Where saved conversations live by default: the platform's per-user data directory. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultSessionsPath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const data =
    platform === 'darwin'
      ? join(homedir(), 'Library', 'Application Support')
      : platform === 'win32'
        ? (env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'))
        : (env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'));
  return join(data, 'mcp-bedrock', 'sessions.sqlite');
}
