/**
 * A log file per MCP server in the data directory (`logs/<server>.log`): every stderr line the server writes and
 * a line per start and failure, so "why did it fail" has an answer after the terminal scrolled away
 * (`/mcp logs NAME` in chat). Files past 1 MB are rotated once to `<server>.log.1` when the CLI starts.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HubEvent } from '../../bridge/index.js';

const MAX_BYTES = 1024 * 1024;

/** Writes hub events to the log files; never throws (a log that cannot be written is not worth a failure). */
export class ServerLogs {
  private readonly rotated = new Set<string>();
  private broken = false;

  constructor(readonly dir: string) {}

  /** The log file of one server. */
  pathOf(server: string): string {
    return join(this.dir, `${server.replace(/[^\w.-]/g, '_')}.log`);
  }

  /** Appends what an event says about a server to its file. */
  readonly onEvent = (event: HubEvent): void => {
    if (event.type === 'server-stderr') this.write(event.server, event.line);
    else if (event.type === 'server-status' && event.status === 'starting')
      this.write(event.server, `--- ${new Date().toISOString()} starting`);
    else if (event.type === 'server-status' && event.status === 'failed')
      this.write(event.server, `--- ${new Date().toISOString()} failed: ${event.error ?? ''}`);
  };

  /** Marks the start of the first connection of each server (the hub reports later starts itself). */
  started(servers: readonly string[]): void {
    for (const server of servers) this.write(server, `--- ${new Date().toISOString()} starting`);
  }

  private write(server: string, line: string): void {
    if (this.broken) return;
    const file = this.pathOf(server);
    try {
      if (!this.rotated.has(file)) {
        this.rotated.add(file);
        mkdirSync(this.dir, { recursive: true });
        if (existsSync(file) && statSync(file).size > MAX_BYTES) renameSync(file, `${file}.1`);
      }
      appendFileSync(file, `${line}\n`);
    } catch {
      this.broken = true;
    }
  }
}
