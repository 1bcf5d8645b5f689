/**
 * AWS Signature Version 4 for MCP servers hosted on AWS (AgentCore Gateway and Runtime, API Gateway with IAM
 * auth): a `fetch` that signs each request with `@smithy/signature-v4`, the signer the AWS SDK and our gateway
 * use, and credentials from the AWS credential chain (docs/remote-servers.md, "AgentCore").
 */
import type { FetchLike } from '@modelcontextprotocol/client';
import { BridgeError } from '../errors.js';
import type { AwsCredentials } from '../model/credentials.js';
import type { SigV4Settings } from './server-config.js';

/** What {@link sigv4Fetch} needs besides the signing name. */
export interface SigV4FetchOptions extends SigV4Settings {
  /** Fixed credentials, or a provider of them (default: the AWS chain, with `profile` when given). */
  credentials?: AwsCredentials | (() => Promise<AwsCredentials>);
  /** The fetch that sends the signed request (default: the global one). */
  fetch?: FetchLike;
  /** Environment for the region fallback (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The region in an AWS hostname, e.g. `us-east-1` in `x.gateway.bedrock-agentcore.us-east-1.amazonaws.com`. */
export function regionOfHost(hostname: string): string | undefined {
  return /\.([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?$/.exec(hostname)?.[1];
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, key) => {
    record[key] = value;
  });
  return record;
}

async function bodyOf(body: RequestInit['body']): Promise<string | Uint8Array | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof URLSearchParams) return body.toString();
  return new Uint8Array(await new Response(body as NonNullable<RequestInit['body']>).arrayBuffer());
}

/**
 * A fetch that signs every request with SigV4 for `service` (e.g. `bedrock-agentcore`).
 *
 * @throws BridgeError `MCP_SIGV4_REGION` (on the first request) when no region is given, in the hostname, or
 * in `AWS_REGION`/`AWS_DEFAULT_REGION`.
 */
export function sigv4Fetch(options: SigV4FetchOptions): FetchLike {
  const send = options.fetch ?? fetch;
  const env = options.env ?? process.env;
  let credentials: (() => Promise<AwsCredentials>) | undefined;
  const credentialsOf = async (): Promise<AwsCredentials> => {
    if (options.credentials) {
      const given = options.credentials;
      return typeof given === 'function' ? given() : given;
    }
    if (!credentials) {
      // The chain loads on first use: a run without AWS-hosted servers never pays for it.
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      credentials = defaultProvider(options.profile ? { profile: options.profile } : {});
    }
    return credentials();
  };
  return async (input, init) => {
    const url = new URL(input);
    const region = options.region ?? regionOfHost(url.hostname) ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
    if (!region) {
      throw new BridgeError(
        'MCP_SIGV4_REGION',
        `SigV4 for ${url.host}: no region (set "region" in the server's "auth", or AWS_REGION)`,
      );
    }
    const [{ SignatureV4 }, { Hash }] = await Promise.all([
      import('@smithy/signature-v4'),
      import('@smithy/hash-node'),
    ]);
    const signer = new SignatureV4({
      service: options.service,
      region,
      credentials: await credentialsOf(),
      sha256: Hash.bind(null, 'sha256'),
    });
    const headers = new Headers(init?.headers);
    headers.set('host', url.host);
    const body = await bodyOf(init?.body);
    const query: Record<string, string | string[]> = {};
    for (const [key, value] of url.searchParams) {
      const prior = query[key];
      query[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
    }
    const signed = await signer.sign({
      method: init?.method ?? 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port && { port: Number(url.port) }),
      path: url.pathname,
      query,
      headers: headerRecord(headers),
      ...(body !== undefined && { body }),
    });
    const out = new Headers();
    for (const [key, value] of Object.entries(signed.headers)) if (key !== 'host') out.set(key, value);
    return send(url, {
      ...init,
      headers: out,
      ...(body !== undefined && { body: body as NonNullable<RequestInit['body']> }),
    });
  };
}
