#!/usr/bin/env node
/** `mcp-utilities`: count_letters, current_time and calculator over stdio (default) or Streamable HTTP. */
import { runServer } from '../shared/run-server.js';
import { buildServer } from './server.js';

await runServer({
  name: 'utilities',
  defaultPort: 3004,
  usage: 'Usage: mcp-utilities [--transport stdio|http] [--port N (default 3004)] [--host 127.0.0.1]',
  setup: async () => ({ build: () => buildServer() }),
});
