#!/usr/bin/env node
/** `mcp-radio`: the radio MCP server over stdio (default) or Streamable HTTP. */
import { runServer } from '../shared/run-server.js';
import { buildServer } from './server.js';
import { loadStations } from './stations.js';

await runServer({
  name: 'radio',
  defaultPort: 3002,
  usage: 'Usage: mcp-radio [--transport stdio|http] [--port N (default 3002)] [--host 127.0.0.1]',
  setup: async () => {
    const stations = loadStations();
    return { build: () => buildServer({ stations }) };
  },
});
