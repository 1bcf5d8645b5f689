/**
 * What a loopback HTTP endpoint must check before it acts on a request, because any web page the user opens can
 * send one to it: the DNS-rebinding defence (a `Host` that names this machine, an `Origin`, when sent, of this
 * machine too, the rules the bundled MCP servers apply) and a JSON `Content-Type`, which a page can only send
 * after a CORS preflight that these endpoints never approve (docs/security.md, "Gateway").
 */
import { isLoopbackHost } from '../../bridge/entries/converse.js';
import type { AnyRequest } from './dual-protocol-server.js';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '::1'];

export { isLoopbackHost };

/** The host name of a `Host` header value (`name`, `name:port`, `[v6]:port`), lower-cased. */
function hostnameOf(value: string): string {
  const name = value.startsWith('[') ? value.slice(1, value.indexOf(']')) : (value.split(':')[0] ?? '');
  return name.toLowerCase();
}

export interface HostPolicy {
  /** The address the server listens on. */
  bindHost: string;
  /** More host names clients may use (a DNS name for a gateway bound beyond loopback). */
  allowedHosts?: readonly string[];
}

/**
 * Why a request is refused for its `Host` or `Origin`, or undefined when both are acceptable. On a loopback bind
 * the `Host` must name this machine (or an allowed host); beyond loopback, with allowed hosts configured, one of
 * them. An `Origin` (browsers send it; SDKs do not) must name one of the same hosts.
 */
export function foreignOrigin(req: AnyRequest, policy: HostPolicy): string | undefined {
  const names = new Set([...LOOPBACK_NAMES, hostnameOf(policy.bindHost), ...(policy.allowedHosts ?? [])]);
  const known = (name: string): boolean => names.has(name) || isLoopbackHost(name);
  const hostHeader = req.headers[':authority'] ?? req.headers.host;
  const host = typeof hostHeader === 'string' ? hostnameOf(hostHeader) : '';
  const checksHost = isLoopbackHost(policy.bindHost) || (policy.allowedHosts ?? []).length > 0;
  if (checksHost && !known(host)) return `the Host header ${JSON.stringify(hostHeader ?? '')} is not this gateway`;
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  let originHost: string;
  try {
    originHost = new URL(origin).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return `the Origin header ${JSON.stringify(origin)} is not this gateway`;
  }
  return known(originHost) ? undefined : `the Origin header ${JSON.stringify(origin)} is not this gateway`;
}

/** The media type a request declares for its body (`application/json`, lower case, no parameters), if any. */
export function mediaTypeOf(req: AnyRequest): string | undefined {
  const type = req.headers['content-type'];
  return typeof type === 'string' ? type.split(';')[0]?.trim().toLowerCase() : undefined;
}

/** Whether the request declares a JSON body (`application/json`, parameters allowed). */
export function isJsonRequest(req: AnyRequest): boolean {
  return mediaTypeOf(req) === 'application/json';
}
