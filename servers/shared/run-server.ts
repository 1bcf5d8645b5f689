/**
 * The entry every bundled server shares: `--transport stdio` (default; the MCP channel is stdout, so logs go
 * to stderr) or `--transport http` with the options of server-args.ts (docs/deploy.md). Over HTTP, SIGTERM and
 * SIGINT drain: stop accepting, let in-flight calls finish, then close the server's resources (the pool).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isLoopback } from './host-guard.js';
import { COMMON_USAGE, type CommonArgs, parseServerArgs, type ParsedServerArgs } from './server-args.js';

/** What a bundled server's `main.ts` hands to {@link runServer}. */
export interface ServerEntry {
  name: string;
  defaultPort: number;
  usage: string;
  extraOptions?: readonly string[];
  /** Prepares shared state (e.g. a database) and returns a factory of server instances plus a cleanup. */
  setup(args: ParsedServerArgs): Promise<{
    build: () => McpServer;
    close?: () => Promise<void>;
    /** Throws when a dependency (the database) does not answer: `/readyz` then says 503. */
    ready?: () => Promise<void>;
  }>;
}

/** Why these arguments may not start an HTTP server, or `undefined`. */
export function refusal(args: CommonArgs): string | undefined {
  if (args.transport !== 'http' || isLoopback(args.host)) return undefined;
  if (args.tokenFile === undefined && args.oauthIssuer === undefined)
    return (
      `refusing to listen on ${args.host} without authentication: anyone who can reach it could call its tools. ` +
      'Pass --token-file PATH (bearer tokens) or --oauth-issuer URL (JWT access tokens), or keep the default ' +
      '--host 127.0.0.1 behind a proxy that authenticates.'
    );
  if (args.oauthIssuer !== undefined && args.publicUrl === undefined)
    return (
      `--oauth-issuer on --host ${args.host} needs --public-url: the URL ` +
      'clients use, which tokens name as audience'
    );
  return undefined;
}

function fail(entry: ServerEntry, message: string): void {
  process.stderr.write(`${entry.name}: ${message}\n`);
  process.exitCode = 2;
}

/** Parses argv, starts the server on its transport and wires shutdown. */
export async function runServer(entry: ServerEntry, argv = process.argv.slice(2)): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${entry.usage}\n${COMMON_USAGE}\n`);
    return;
  }
  let args: ParsedServerArgs;
  try {
    args = parseServerArgs(argv, entry.extraOptions);
  } catch (error) {
    return fail(entry, `${(error as Error).message}\n${entry.usage}`);
  }
  const refused = refusal(args.common);
  if (refused) return fail(entry, refused);
  let setup: Awaited<ReturnType<ServerEntry['setup']>>;
  try {
    setup = await entry.setup(args);
  } catch (error) {
    return fail(entry, (error as Error).message);
  }
  const { build, close, ready } = setup;
  if (args.common.transport === 'stdio') {
    const shutdown = async (): Promise<void> => {
      await close?.();
      process.exit(0);
    };
    await build().connect(new StdioServerTransport());
    process.stdin.on('end', () => void shutdown());
    process.on('SIGINT', () => void shutdown());
    process.on('SIGTERM', () => void shutdown());
    return;
  }
  // The HTTP transport loads only when asked for: stdio servers start without it.
  const { serveHttp } = await import('./http-host.js');
  const { common } = args;
  let host: Awaited<ReturnType<typeof serveHttp>>;
  try {
    host = await serveHttp(build, {
      host: common.host,
      port: common.port ?? entry.defaultPort,
      stateless: common.stateless,
      sessionIdleMs: common.sessionIdleMs,
      maxSessions: common.maxSessions,
      auth: { tokenFile: common.tokenFile, oauthIssuer: common.oauthIssuer, jwksUrl: common.jwksUrl },
      publicUrl: common.publicUrl,
      allowedHosts: common.allowedHosts,
      allowedOrigins: common.allowedOrigins,
      ...(ready && { ready }),
    });
  } catch (error) {
    await close?.();
    return fail(entry, (error as Error).message);
  }
  let stopping = false;
  const drain = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await host.shutdown(common.shutdownTimeoutMs);
    await close?.();
    // The supervisor's log says the stop was clean: calls drained, then the server's resources (the pool) closed.
    process.stderr.write(`${entry.name}: drained${close ? ' and closed its resources' : ''}; exiting\n`);
    process.exit(0);
  };
  process.on('SIGINT', () => void drain());
  process.on('SIGTERM', () => void drain());
  // Announced only once the signal handlers are in place: a supervisor may stop us as soon as it reads this.
  const mode = common.stateless ? 'stateless' : 'stateful';
  process.stderr.write(`${entry.name}: MCP over Streamable HTTP at ${host.url} (${mode})\n`);
}

/** Tool results: a text block for every client plus structuredContent for those that read it. */
export function jsonResult(value: Record<string, unknown>): {
  content: { type: 'text'; text: string }[];
  structuredContent: Record<string, unknown>;
} {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

/** A tool failure the model reads (`isError`), not a protocol error. */
export function errorResult(text: string): { content: { type: 'text'; text: string }[]; isError: true } {
  return { content: [{ type: 'text', text }], isError: true };
}
