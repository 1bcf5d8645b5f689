/** The bundled expenses server (built, over stdio) as an MCP hub, for the suites that give a model its tools. */
import { join } from 'node:path';
import { McpHub } from '../bridge/index.js';
import { packageRoot } from '../src/package-root.js';

/** A hub of the built expenses server, not yet started. */
export const expensesHub = (): McpHub =>
  new McpHub([
    {
      name: 'expenses',
      transport: 'stdio',
      command: process.execPath,
      args: [join(packageRoot(), 'dist', 'servers', 'expenses', 'main.js')],
    },
  ]);
