import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { SessionTable } from '../../servers/shared/session-table.js';

describe('session table', () => {
  it('closes a session once it has been idle for the idle period, not before', () => {
    const closed: string[] = [];
    const table = new SessionTable({ idleMs: 1000, maxSessions: 10, onClose: (s) => closed.push(s.id) });
    const session = table.open();
    if (!session) throw new Error('no session');
    const seen = session.lastSeen;
    table.sweep(seen + 999);
    expect(table.get(session.id)).toBe(session);
    table.sweep(session.lastSeen + 1000);
    expect(table.size).toBe(0);
    expect(closed).toEqual([session.id]);
    expect(table.get(session.id)).toBeUndefined();
    table.clear();
  });

  it('never closes a session with a request in flight or an open GET stream', () => {
    const table = new SessionTable({ idleMs: 1000, maxSessions: 10 });
    const busy = table.open();
    const listening = table.open();
    if (!busy || !listening) throw new Error('no session');
    busy.inFlight = 1;
    listening.stream = { end: () => {} } as unknown as ServerResponse;
    table.sweep(Date.now() + 10_000);
    expect(table.size).toBe(2);
    busy.inFlight = 0;
    table.sweep(Date.now() + 10_000);
    expect(table.size).toBe(1);
    table.clear();
  });

  it('refuses a session past the cap unless an idle one can be closed, and says when to retry', () => {
    const table = new SessionTable({ idleMs: 60_000, maxSessions: 2 });
    const first = table.open();
    expect(table.open()).toBeDefined();
    expect(table.open()).toBeUndefined();
    expect(table.retryAfterSeconds()).toBeGreaterThan(55);
    expect(table.retryAfterSeconds()).toBeLessThanOrEqual(60);
    if (first) first.lastSeen -= 60_000;
    expect(table.open()).toBeDefined();
    expect(table.size).toBe(2);
    table.clear();
  });
});
