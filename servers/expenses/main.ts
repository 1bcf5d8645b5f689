#!/usr/bin/env node
/** `mcp-expenses`: the expense-audit tools over stdio (default) or Streamable HTTP. */
import { runServer } from '../shared/run-server.js';
import { loadCatalog } from './expense-data.js';
import { buildServer } from './server.js';

await runServer({
  name: 'expenses',
  defaultPort: 3003,
  usage: 'Usage: mcp-expenses [--transport stdio|http] [--port N (default 3003)] [--host 127.0.0.1]',
  setup: async () => {
    const catalog = loadCatalog();
    return { build: () => buildServer({ catalog }) };
  },
});
