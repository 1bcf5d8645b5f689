/**
 * What every request must pass before any handler runs, and the headers every answer carries:
 * - Host must name this server (DNS rebinding: a foreign name resolving to us is refused, as the MCP servers do);
 * - an Origin, when sent, must be this server's own (scheme, host and port), and state-changing requests must send
 *   one; browsers' `Sec-Fetch-Site`, when sent, must not be cross-site (except a link opening the page);
 * - a strict Content-Security-Policy with Trusted Types (scripts and styles from this server only, no inline code,
 *   no HTML built from strings except through the markdown sanitiser), framing refused, no referrer.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Who this server is, as browsers address it. */
export interface ServerIdentity {
  /** Origins the page is served from, e.g. `http://127.0.0.1:8790` or the public `https://chat.example.com`. */
  origins: ReadonlySet<string>;
  /** Host header values accepted (host[:port]). */
  hosts: (host: string) => boolean;
  /** Served over HTTPS (behind a proxy): cookies get `Secure` and the `__Host-` prefix, and HSTS is sent. */
  https: boolean;
}

function hostnameOf(value: string): string {
  return value.startsWith('[') ? value.slice(0, value.indexOf(']') + 1) : (value.split(':')[0] ?? '');
}

/** A loopback server: any loopback name, on its own port. */
export function loopbackIdentity(port: number): ServerIdentity {
  return {
    origins: new Set([...LOOPBACK_NAMES].map((name) => `http://${name}:${port}`)),
    hosts: (host) => LOOPBACK_NAMES.has(hostnameOf(host)) && host.endsWith(`:${port}`),
    https: false,
  };
}

/** A server behind a proxy at its public URL: only that host and origin. */
export function publicIdentity(url: URL): ServerIdentity {
  return {
    origins: new Set([url.origin]),
    hosts: (host) => host.toLowerCase() === url.host,
    https: url.protocol === 'https:',
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);
const isApi = (req: IncomingMessage): boolean => (req.url ?? '/').startsWith('/api/');

/** Why the request is refused, or undefined when it may go on. */
export function refusal(req: IncomingMessage, identity: ServerIdentity): string | undefined {
  const host = req.headers.host;
  if (!host || !identity.hosts(host)) return 'foreign Host header';
  const origin = req.headers.origin;
  if (origin !== undefined && !identity.origins.has(origin)) return 'foreign Origin header';
  const site = req.headers['sec-fetch-site'];
  // A link from elsewhere may open the page; only the page itself may call the API or load its assets.
  const navigation = req.method === 'GET' && req.headers['sec-fetch-mode'] === 'navigate' && !isApi(req);
  if (site !== undefined && site !== 'same-origin' && site !== 'none' && !navigation)
    return `cross-site request (${site})`;
  if (!SAFE_METHODS.has(req.method ?? 'GET') && origin === undefined) return 'state-changing request without Origin';
  return undefined;
}

/** The Content-Security-Policy of every answer. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types dompurify',
].join('; ');

export function securityHeaders(identity: ServerIdentity): OutgoingHttpHeaders {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    ...(identity.https && { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }),
  };
}

/** The sign-in cookie's name: `__Host-` (Secure, this host only, path /) when served over HTTPS. */
export function cookieName(identity: ServerIdentity): string {
  return identity.https ? '__Host-mcpb_session' : 'mcpb_session';
}

/**
 * The sign-in cookie: HttpOnly, SameSite=Strict, path /, and Secure over HTTPS. On plain-HTTP loopback `Secure`
 * is left out: the traffic never leaves the machine, and browsers differ on Secure cookies for http://127.0.0.1.
 */
export function sessionCookie(identity: ServerIdentity, value: string, maxAgeSeconds: number): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
  if (identity.https) attributes.push('Secure');
  return `${cookieName(identity)}=${value}; ${attributes.join('; ')}`;
}

/** The sign-in cookie's value in a request. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
