/**
 * Signed-in browsers: a random token in an HttpOnly cookie names a session held in memory (a restart signs
 * everyone out), each with its own CSRF token. Sessions end after a day without use.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from './api-types.js';

/** A signed-in user. */
export interface LoginSession {
  user: string;
  role: Role;
  /** Sent back by the page as `x-csrf-token` with every state-changing request. */
  csrfToken: string;
  lastSeen: number;
}

const IDLE_MS = 24 * 60 * 60 * 1000;
const token = (): string => randomBytes(32).toString('base64url');

export class LoginSessions {
  private readonly sessions = new Map<string, LoginSession>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Starts a session; the result is the cookie value. */
  create(user: string, role: Role): string {
    const id = token();
    this.sessions.set(id, { user, role, csrfToken: token(), lastSeen: this.now() });
    return id;
  }

  get(id: string | undefined): LoginSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (this.now() - session.lastSeen > IDLE_MS) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeen = this.now();
    return session;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}
