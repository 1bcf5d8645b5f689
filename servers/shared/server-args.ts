/**
 * Command-line options every bundled server understands, validated with zod. The HTTP options (sessions,
 * authentication, allowed hosts) are described in docs/deploy.md.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `30m`, `2h`, `500ms` → milliseconds. */
function duration(flag: string) {
  return z.string().transform((value, context) => {
    const match = DURATION.exec(value.trim());
    const ms = match ? Number(match[1]) * (UNIT_MS[match[2] as string] as number) : Number.NaN;
    if (!(ms > 0)) {
      context.addIssue({
        code: 'custom',
        message: `${flag} expects a duration such as 90s, 30m or 2h, got "${value}"`,
      });
      return z.NEVER;
    }
    return ms;
  });
}

function count(flag: string, min: number) {
  return z.coerce
    .number({ error: `${flag} expects a number` })
    .int(`${flag} expects a whole number`)
    .min(min, `${flag} expects a number ≥ ${min}`);
}

function list(flag: string) {
  return z.string().transform((value, context) => {
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    if (items.length === 0) context.addIssue({ code: 'custom', message: `${flag} expects a comma-separated list` });
    return items;
  });
}

function url(flag: string) {
  return z.url({ protocol: /^https?$/, error: `${flag} expects an http(s) URL` });
}

const common = z.object({
  transport: z.enum(['stdio', 'http'], { error: '--transport expects "stdio" or "http"' }).default('stdio'),
  port: z.coerce
    .number({ error: '--port expects a number' })
    .int()
    .min(0)
    .max(65535, '--port expects 0-65535')
    .optional(),
  host: z.string().min(1).default('127.0.0.1'),
  stateless: z.boolean().default(false),
  sessionIdleMs: duration('--session-idle').prefault('30m'),
  maxSessions: count('--max-sessions', 1).default(10_000),
  tokenFile: z.string().min(1).optional(),
  oauthIssuer: url('--oauth-issuer').optional(),
  jwksUrl: url('--jwks-url').optional(),
  publicUrl: url('--public-url').optional(),
  allowedHosts: list('--allowed-hosts').optional(),
  allowedOrigins: list('--allowed-origins').optional(),
  shutdownTimeoutMs: duration('--shutdown-timeout').prefault('10s'),
});

/** The options shared by every bundled server, after validation (durations in milliseconds). */
export type CommonArgs = z.infer<typeof common>;

/** What {@link parseServerArgs} returns: the shared options and the server's own string options. */
export interface ParsedServerArgs {
  common: CommonArgs;
  /** Server-specific string options, e.g. `--db`. */
  extra: Record<string, string | undefined>;
}

/** Flag name → key in {@link CommonArgs}. */
const FLAGS: Record<string, keyof CommonArgs> = {
  transport: 'transport',
  port: 'port',
  host: 'host',
  stateless: 'stateless',
  'session-idle': 'sessionIdleMs',
  'max-sessions': 'maxSessions',
  'token-file': 'tokenFile',
  'oauth-issuer': 'oauthIssuer',
  'jwks-url': 'jwksUrl',
  'public-url': 'publicUrl',
  'allowed-hosts': 'allowedHosts',
  'allowed-origins': 'allowedOrigins',
  'shutdown-timeout': 'shutdownTimeoutMs',
};

/** The usage lines every server's `--help` ends with. */
export const COMMON_USAGE = `HTTP options (docs/deploy.md):
  --stateless              no sessions: any replica answers any request (for load balancers)
  --session-idle 30m       close a session idle this long (stateful mode)
  --max-sessions 10000     open sessions at most; beyond it initialize gets 503 with Retry-After
  --token-file PATH        accept these bearer tokens (one a line, # comments)
  --oauth-issuer URL       accept JWT access tokens from this OAuth 2.1 issuer (JWKS from its metadata)
  --jwks-url URL           the issuer's JWKS, when its metadata does not name it
  --public-url URL         this server's URL as clients reach it (the tokens' audience)
  --allowed-hosts a,b      Host names (and host:port) to accept, e.g. behind a proxy
  --allowed-origins a,b    browser Origins to accept (e.g. https://app.example.com)
  --shutdown-timeout 10s   on SIGTERM, how long in-flight calls may finish
A --host other than loopback requires --token-file or --oauth-issuer.`;

/** Parses argv; throws an Error whose message names the bad option and what was expected. */
export function parseServerArgs(argv: readonly string[], extraOptions: readonly string[] = []): ParsedServerArgs {
  const options: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' } };
  for (const flag of Object.keys(FLAGS)) options[flag] = { type: flag === 'stateless' ? 'boolean' : 'string' };
  for (const name of extraOptions) options[name] = { type: 'string' };
  const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  const input: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(FLAGS)) if (values[flag] !== undefined) input[key] = values[flag];
  const parsed = common.safeParse(input);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  const extra: Record<string, string | undefined> = {};
  for (const name of extraOptions) extra[name] = values[name] as string | undefined;
  return { common: parsed.data, extra };
}
