/**
 * The per-user data directory of mcp-bedrock (sessions, chat history, MCP server logs): `$XDG_DATA_HOME`
 * (default `~/.local/share`) on Linux, `~/Library/Application Support` on macOS, `%APPDATA%` on Windows,
 * each with an `mcp-bedrock` folder.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The folder, e.g. `~/.local/share/mcp-bedrock`. */
export function dataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const base =
    platform === 'darwin'
      ? join(homedir(), 'Library', 'Application Support')
      : platform === 'win32'
        ? (env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'))
        : env['XDG_DATA_HOME'] || join(homedir(), '.local', 'share');
  return join(base, 'mcp-bedrock');
}
