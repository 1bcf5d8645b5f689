/** The MCP reference server `@modelcontextprotocol/server-everything`, as installed (a devDependency). */
import { join } from 'node:path';

/** Its entry point: `node EVERYTHING_ENTRY stdio` (or `streamableHttp`, `sse`). */
export const EVERYTHING_ENTRY = join(
  process.cwd(),
  'node_modules',
  '@modelcontextprotocol',
  'server-everything',
  'dist',
  'index.js',
);
