/**
 * The entry every bundled server shares: `--transport stdio` (default; the MCP channel is stdout, so logs go
 * to stderr) or `--transport http --port N --host H`.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { parseServerArgs, type ParsedServerArgs } from './server-args.js';

export interface ServerEntry {
  name: string;
  defaultPort: number;
  usage: string;
  extraOptions?: readonly string[];
  /** Prepares shared state (e.g. a database) and returns a factory of server instances plus a cleanup. */
  setup(args: ParsedServerArgs): Promise<{ build: () => McpServer; close?: () => Promise<void> }>;
}

export async function runServer(entry: ServerEntry, argv = process.argv.slice(2)): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${entry.usage}\n`);
    return;
  }
  let args: ParsedServerArgs;
  try {
    args = parseServerArgs(argv, entry.extraOptions);
  } catch (error) {
    process.stderr.write(`${entry.name}: ${(error as Error).message}\n${entry.usage}\n`);
    process.exitCode = 2;
    return;
  }
  const { build, close } = await entry.setup(args);
  const shutdown = async (): Promise<void> => {
    await close?.();
    process.exit(0);
  };
  if (args.common.transport === 'stdio') {
    const server = build();
    await server.connect(new StdioServerTransport());
    process.stdin.on('end', () => void shutdown());
  } else {
    // The HTTP transport loads only when asked for: stdio servers start without it.
    const { serveHttp } = await import('./http-host.js');
    const host = await serveHttp(build, { host: args.common.host, port: args.common.port ?? entry.defaultPort });
    process.stderr.write(`${entry.name}: MCP over Streamable HTTP at ${host.url}\n`);
  }
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

/** Tool results: a text block for every client plus structuredContent for those that read it. */
export function jsonResult(value: Record<string, unknown>): {
  content: { type: 'text'; text: string }[];
  structuredContent: Record<string, unknown>;
} {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

export function errorResult(text: string): { content: { type: 'text'; text: string }[]; isError: true } {
  return { content: [{ type: 'text', text }], isError: true };
}
