/**
 * Who may use the gateway: anyone on loopback when it has no keys, otherwise a client that proves it holds one.
 * A Bedrock API key (`Authorization: Bearer`) must be one of the configured keys; a SigV4 request must be signed
 * with the secret of a configured access key pair, and its signature is verified over the method, path, signed
 * headers and the SHA-256 of the body, within AWS's 15-minute clock skew (docs/security.md, "Client keys").
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AnyRequest } from '../http/dual-protocol-server.js';

/** A SigV4 access key pair a client signs with. */
export interface AccessKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The keys a gateway accepts; none at all means anyone who can reach it (loopback only). */
export interface ClientKeys {
  /** Bedrock API keys, sent as `Authorization: Bearer <key>`. */
  apiKeys?: readonly string[];
  /** SigV4 key pairs: the client's SDK signs with the secret, the gateway verifies the signature. */
  accessKeys?: readonly AccessKeyPair[];
}

/** The outcome of the first look at a request's credentials, before its body is read. */
export type AuthCheck =
  | { ok: true; verify?: (body: Buffer) => Promise<boolean> }
  | { ok: false; reason: 'missing' | 'unknown-key' | 'malformed' };

const SIGV4 = new RegExp(
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,/.source +
    /\s*SignedHeaders=([a-z0-9;:_.-]+),\s*Signature=([0-9a-f]{64})$/.source,
);
const SKEW_MS = 15 * 60 * 1000;
const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `20250101T120000Z` as a Date, or undefined. */
function amzDate(value: unknown): Date | undefined {
  const m = typeof value === 'string' ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
}

/** A signed header's value; `host` and HTTP/2's `:authority` name the same thing (SDKs sign either). */
function headerValue(req: AnyRequest, name: string): string | undefined {
  const other = name === 'host' ? ':authority' : name === ':authority' ? 'host' : undefined;
  const value = req.headers[name] ?? (other === undefined ? undefined : req.headers[other]);
  return Array.isArray(value) ? value.join(',') : value;
}

/** Checks a request's credentials against the configured keys. */
export class ClientAuth {
  private readonly apiKeys: Set<string>;
  private readonly secrets: Map<string, string>;

  constructor(keys: ClientKeys = {}) {
    // Compared as digests: a lookup then reveals nothing of a key through its timing.
    this.apiKeys = new Set((keys.apiKeys ?? []).map(digest));
    this.secrets = new Map((keys.accessKeys ?? []).map((k) => [k.accessKeyId, k.secretAccessKey]));
  }

  /** Whether any key is configured (without keys the gateway must stay on loopback). */
  get configured(): boolean {
    return this.apiKeys.size > 0 || this.secrets.size > 0;
  }

  /** Whether a bare API key (an Anthropic client's `x-api-key`) is one of the configured API keys. */
  hasApiKey(key: string): boolean {
    return this.apiKeys.has(digest(key));
  }

  /** A first check from the headers alone; a SigV4 request still needs `verify(body)`. */
  check(req: AnyRequest): AuthCheck {
    if (!this.configured) return { ok: true };
    const auth = req.headers['authorization'];
    if (typeof auth !== 'string' || auth === '') return { ok: false, reason: 'missing' };
    if (auth.startsWith('Bearer ')) {
      return this.apiKeys.has(digest(auth.slice(7).trim())) ? { ok: true } : { ok: false, reason: 'unknown-key' };
    }
    const m = SIGV4.exec(auth);
    if (!m) return { ok: false, reason: 'malformed' };
    const [, accessKeyId, day, region, service, signedHeaders, signature] = m as unknown as string[];
    const secretAccessKey = this.secrets.get(accessKeyId as string);
    if (secretAccessKey === undefined) return { ok: false, reason: 'unknown-key' };
    return {
      ok: true,
      verify: (body) =>
        verifySignature(req, body, {
          credentials: { accessKeyId: accessKeyId as string, secretAccessKey },
          day: day as string,
          region: region as string,
          service: service as string,
          signedHeaders: (signedHeaders as string).split(';'),
          signature: signature as string,
        }),
    };
  }
}

interface Claimed {
  credentials: AccessKeyPair;
  day: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Signs the request again with the configured secret and compares; any difference is a refusal. */
async function verifySignature(req: AnyRequest, body: Buffer, claimed: Claimed): Promise<boolean> {
  const date = amzDate(req.headers['x-amz-date']);
  if (claimed.service !== 'bedrock' || !date || Math.abs(Date.now() - date.getTime()) > SKEW_MS) return false;
  if (
    !claimed.signedHeaders.includes('x-amz-date') ||
    date.toISOString().slice(0, 10).replace(/-/g, '') !== claimed.day
  )
    return false;
  if (!claimed.signedHeaders.includes('host') && !claimed.signedHeaders.includes(':authority')) return false;
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const headers: Record<string, string> = {};
  for (const name of claimed.signedHeaders) {
    const value = headerValue(req, name);
    if (value === undefined) return false;
    headers[name] = value;
  }
  // The signature covers the body only through this hash: it must be the body's own.
  const declared = headers['x-amz-content-sha256'];
  if (declared !== undefined && declared !== bodyHash) return false;
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const query: Record<string, string | string[]> = {};
  if (queryAt >= 0) {
    for (const [k, v] of new URLSearchParams(target.slice(queryAt + 1))) {
      const prior = query[k];
      query[k] = prior === undefined ? v : [...(Array.isArray(prior) ? prior : [prior]), v];
    }
  }
  // No x-amz-content-sha256 of our own: a client that did not sign one (boto3 does not) must not get one added.
  const signer = new SignatureV4({
    service: 'bedrock',
    region: claimed.region,
    credentials: claimed.credentials,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: req.method ?? 'POST',
      protocol: 'https:',
      hostname: headers['host'] ?? headers[':authority'] ?? '',
      path: queryAt >= 0 ? target.slice(0, queryAt) : target,
      query,
      headers,
      body,
    },
    { signingDate: date, signableHeaders: new Set(claimed.signedHeaders) },
  );
  const expected = /SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(String(signed.headers['authorization']));
  if (!expected || expected[1] !== claimed.signedHeaders.join(';')) return false;
  return timingSafeEqual(Buffer.from(expected[2] as string), Buffer.from(claimed.signature));
}
