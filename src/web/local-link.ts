/**
 * Sign-in on loopback: one local user, and a one-time link printed by `mcp-bedrock web`. Opening it signs the
 * browser in and spends the link; the next one is printed right away, so the terminal always shows a live one.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export class LocalLink {
  private current = randomBytes(24).toString('base64url');

  constructor(private readonly announce: (token: string) => void) {
    announce(this.current);
  }

  /** Spends the link when `candidate` is the live one. */
  consume(candidate: string): boolean {
    const expected = Buffer.from(this.current);
    const given = Buffer.from(candidate);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    this.current = randomBytes(24).toString('base64url');
    this.announce(this.current);
    return true;
  }
}
