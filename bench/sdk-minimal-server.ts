/**
 * The floor of the scale suite: the official MCP SDK's minimal Streamable HTTP servers as its documentation writes
 * them (an Express app from `createMcpExpressApp`; stateless: a new McpServer and transport per request; stateful:
 * a transport per session kept in a map), serving the same orders tools on the same kind of store as ours. Run as
 * `node dist/bench/sdk-minimal-server.js <port> <stateless|stateful> [postgres URL]`; prints "listening" when ready.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { openOrdersStore } from '../servers/orders/open-store.js';
import { buildServer } from '../servers/orders/server.js';

const [port, mode, databaseUrl] = process.argv.slice(2);
const store = await openOrdersStore({ databaseUrl, db: ':memory:' });
const app = createMcpExpressApp();
const transports = new Map<string, StreamableHTTPServerTransport>();
/** What Express hands a route (the project does not depend on Express's types). */
type Request = IncomingMessage & { body: unknown };
type Response = ServerResponse & { status(code: number): { json(value: unknown): void } };

app.post('/mcp', async (req: Request, res: Response) => {
  if (mode === 'stateless') {
    const server = buildServer({ store });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
    return;
  }
  const id = req.headers['mcp-session-id'];
  let transport = typeof id === 'string' ? transports.get(id) : undefined;
  if (!transport && id === undefined && isInitializeRequest(req.body)) {
    const created = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => void transports.set(sessionId, created),
    });
    created.onclose = () => {
      if (created.sessionId) transports.delete(created.sessionId);
    };
    await buildServer({ store }).connect(created);
    transport = created;
  }
  if (!transport) {
    res
      .status(400)
      .json({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID' }, id: null });
    return;
  }
  await transport.handleRequest(req, res, req.body);
});

app.listen(Number(port), '127.0.0.1', () => process.stderr.write('listening\n'));
