/** One line per server without secrets (env and header names only), for `mcp-bedrock config show`. */
import type { ServerConfig } from '../../bridge/index.js';

/** `name: command args (env: A, B)` or `name: url (headers: Authorization)`. */
export function redactedSummary(servers: readonly ServerConfig[]): string[] {
  return servers.map((s) => {
    if (s.transport === 'stdio') {
      const env = Object.keys(s.env ?? {});
      return `${s.name}: ${s.command} ${(s.args ?? []).join(' ')}${env.length > 0 ? ` (env: ${env.join(', ')})` : ''}`;
    }
    if (typeof s.transport !== 'string') return `${s.name}: a custom transport`;
    const headers = Object.keys(s.headers ?? {});
    return `${s.name}: ${s.url}${headers.length > 0 ? ` (headers: ${headers.join(', ')})` : ''}`;
  });
}
