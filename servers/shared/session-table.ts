/**
 * Streamable HTTP sessions of the stateful mode: a small record each (no server instance, see
 * docs/deploy.md), closed after an idle period and capped in number.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** One MCP session. */
export interface Session {
  readonly id: string;
  /** The protocol version the initialize exchange settled on. */
  protocolVersion: string | undefined;
  lastSeen: number;
  /** Requests of this session being handled now; a busy session is never idle. */
  inFlight: number;
  /** The standalone SSE stream a GET opened, for server-initiated messages. */
  stream: ServerResponse | undefined;
  /** Client request ids of in-flight requests → the ids the server sees (for `notifications/cancelled`). */
  readonly requestIds: Map<string | number, number>;
}

/** Options of {@link SessionTable}. */
export interface SessionTableOptions {
  idleMs: number;
  maxSessions: number;
  /** Called for each session closed by expiry or DELETE (not on shutdown). */
  onClose?: (session: Session) => void;
}

/** The open sessions, with idle expiry (a timer sweeps them) and a cap. */
export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: SessionTableOptions) {
    // Sweeping at a fraction of the idle period keeps a session at most 1.25 × idle past its last request.
    this.sweeper = setInterval(() => this.sweep(), Math.max(50, Math.min(options.idleMs / 4, 30_000)));
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** A new session, or `undefined` when the cap is reached. */
  open(): Session | undefined {
    if (this.sessions.size >= this.options.maxSessions) this.sweep();
    if (this.sessions.size >= this.options.maxSessions) return undefined;
    const session: Session = {
      id: randomUUID(),
      protocolVersion: undefined,
      lastSeen: Date.now(),
      inFlight: 0,
      stream: undefined,
      requestIds: new Map(),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, marked as seen now. */
  get(id: string): Session | undefined {
    const session = this.sessions.get(id);
    if (session) session.lastSeen = Date.now();
    return session;
  }

  /** Seconds until the first session may expire: the `Retry-After` of a refused initialize. */
  retryAfterSeconds(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const session of this.sessions.values())
      if (session.inFlight === 0 && session.stream === undefined) oldest = Math.min(oldest, session.lastSeen);
    const wait = oldest === Number.POSITIVE_INFINITY ? this.options.idleMs : oldest + this.options.idleMs - Date.now();
    return Math.max(1, Math.ceil(wait / 1000));
  }

  /** Ends a session (DELETE or expiry): its stream closes, later requests with its id get 404. */
  close(session: Session): void {
    if (!this.sessions.delete(session.id)) return;
    session.stream?.end();
    session.stream = undefined;
    this.options.onClose?.(session);
  }

  /** Closes sessions idle longer than the idle period; one with an open stream or a request is not idle. */
  sweep(now = Date.now()): void {
    for (const session of this.sessions.values())
      if (session.inFlight === 0 && session.stream === undefined && now - session.lastSeen >= this.options.idleMs)
        this.close(session);
  }

  /** Every session's stream ends and the table empties (shutdown). */
  clear(): void {
    clearInterval(this.sweeper);
    for (const session of this.sessions.values()) session.stream?.end();
    this.sessions.clear();
  }

  /** Open GET streams, for server-initiated notifications. */
  *streams(): Iterable<ServerResponse> {
    for (const session of this.sessions.values()) if (session.stream) yield session.stream;
  }
}
