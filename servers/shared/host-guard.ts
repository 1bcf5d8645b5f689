/**
 * DNS-rebinding defence (the MCP specification's rule for HTTP servers): a request whose `Host` or `Origin` names
 * a server other than this one is refused. Which names are this server's is described in docs/deploy.md.
 */
import { networkInterfaces } from 'node:os';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Whether an address binds loopback only (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `[::1]:3001` → `[::1]`, `example.com:80` → `example.com`; lower case. */
function hostnameOf(value: string): string {
  const lower = value.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const colon = lower.indexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}

const bracketed = (address: string): string => (address.includes(':') ? `[${address}]` : address);

/** Options of {@link HostGuard}. */
export interface HostGuardOptions {
  /** The address the server listens on. */
  bindHost: string;
  /** Names (any port) or `name:port` pairs to accept; `*` accepts any Host. Replaces the default names. */
  allowedHosts?: readonly string[] | undefined;
  /** Origins (`scheme://host[:port]`) to accept besides those of allowed hosts. */
  allowedOrigins?: readonly string[] | undefined;
  /** The server's public URL, whose host is always accepted. */
  publicUrl?: string | undefined;
}

/** Decides whether a request's `Host` and `Origin` headers name this server. */
export class HostGuard {
  private readonly names = new Set<string>();
  private readonly pairs = new Set<string>();
  private readonly anyHost: boolean;
  private readonly origins: Set<string>;

  constructor(options: HostGuardOptions) {
    const wildcard = options.bindHost === '0.0.0.0' || options.bindHost === '::';
    const defaults = [...LOOPBACK_NAMES, bracketed(options.bindHost)];
    // Bound to every interface, the machine's own addresses are its names (a LAN client may use any of them).
    if (wildcard)
      for (const addresses of Object.values(networkInterfaces()))
        for (const address of addresses ?? []) defaults.push(bracketed(address.address));
    const entries = options.allowedHosts ?? defaults;
    this.anyHost = entries.includes('*');
    for (const entry of entries) {
      const lower = entry.toLowerCase();
      if (hostnameOf(lower) === lower) this.names.add(lower);
      else this.pairs.add(lower);
    }
    if (options.publicUrl) this.pairs.add(new URL(options.publicUrl).host.toLowerCase());
    this.origins = new Set((options.allowedOrigins ?? []).map((origin) => origin.toLowerCase().replace(/\/$/, '')));
  }

  /** Whether `Host` names this server (a missing Host is refused: HTTP/1.1 requires it). */
  hostAllowed(host: string | undefined): boolean {
    if (host === undefined || host === '') return false;
    if (this.anyHost) return true;
    const lower = host.toLowerCase();
    return this.pairs.has(lower) || this.names.has(hostnameOf(lower));
  }

  /** Whether `Origin` (sent by browsers) is this server's or an allowed one; no Origin is fine. */
  originAllowed(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    const lower = origin.toLowerCase();
    if (this.origins.has(lower)) return true;
    try {
      const { host } = new URL(lower);
      return !this.anyHost && this.hostAllowed(host);
    } catch {
      return false;
    }
  }
}
