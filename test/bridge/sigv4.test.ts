/**
 * SigV4 for AWS-hosted MCP servers (docs/remote-servers.md, "SigV4"): the hub signs every request of an entry
 * with `sigv4` using credentials from the AWS credential chain, and a test server in front of the radio server
 * verifies each signature with the same signer (@smithy/signature-v4) and the secret of the access key named in
 * it. Right credentials connect and call a tool; a wrong secret, a tampered body or an unsigned request is
 * refused with 403.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpHub, sigv4Fetch } from '../../bridge/index.js';
import { buildServer } from '../../servers/radio/server.js';
import { loadStations } from '../../servers/radio/stations.js';
import { type HttpHost, serveHttp } from '../../servers/shared/http-host.js';

const ACCESS_KEY = 'AKIDEXAMPLESIGV4TEST';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const REGION = 'us-east-1';
const SERVICE = 'bedrock-agentcore';

let radio: HttpHost;
let front: Server;
let url: string;
const seen: { ok: boolean; why: string }[] = [];

function bodyOf(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Verifies the request's SigV4 signature by signing it again with the secret of the key it names. */
async function verify(req: IncomingMessage, body: Buffer): Promise<string | undefined> {
  const auth = String(req.headers['authorization'] ?? '');
  const claimed = new RegExp(
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, /.source +
      /SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.source,
  ).exec(auth);
  if (!claimed) return 'not signed';
  const [, key, , region, service, signedHeaders = '', signature] = claimed;
  if (key !== ACCESS_KEY) return 'unknown access key';
  if (region !== REGION || service !== SERVICE) return `signed for ${service} in ${region}`;
  const date = String(req.headers['x-amz-date'] ?? '');
  const stamp = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!stamp) return 'no x-amz-date';
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) headers[name] = String(req.headers[name] ?? '');
  // The signer takes a declared payload hash as given: the body must be the one it hashes.
  const declared = headers['x-amz-content-sha256'];
  if (declared !== undefined && declared !== createHash('sha256').update(body).digest('hex'))
    return 'body does not match its signed hash';
  const target = new URL(req.url ?? '/', 'http://placeholder');
  const query: Record<string, string> = Object.fromEntries(target.searchParams);
  const signer = new SignatureV4({
    service: SERVICE,
    region: REGION,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
    sha256: Hash.bind(null, 'sha256'),
  });
  const [, y, mo, d, h, mi, s] = stamp;
  const signed = await signer.sign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: headers['host'] ?? '',
      path: target.pathname,
      query,
      headers,
      ...(body.length > 0 && { body: new Uint8Array(body) }),
    },
    {
      signingDate: new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`),
      signableHeaders: new Set(signedHeaders.split(';')),
    },
  );
  const expected = /Signature=([0-9a-f]{64})$/.exec(String(signed.headers['authorization']))?.[1];
  return expected === signature ? undefined : 'signature does not match';
}

beforeAll(async () => {
  const stations = loadStations();
  radio = await serveHttp(() => buildServer({ stations }), { host: '127.0.0.1', port: 0 });
  // The AWS-hosted server: checks the signature, then hands the request to the radio server.
  front = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const refused = await verify(req, body);
      seen.push({ ok: refused === undefined, why: refused ?? '' });
      if (refused) {
        res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ message: refused }));
        return;
      }
      const forwarded: Record<string, string> = {};
      for (const name of ['content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id'])
        if (req.headers[name] !== undefined) forwarded[name] = String(req.headers[name]);
      const upstream = await fetch(radio.url, {
        method: req.method ?? 'GET',
        headers: forwarded,
        ...(body.length > 0 && { body: new Uint8Array(body) }),
      });
      res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
      if (upstream.body) Readable.fromWeb(upstream.body as never).pipe(res);
      else res.end();
    })().catch((error: Error) => res.writeHead(500).end(error.message));
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(front.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  front?.closeAllConnections();
  front?.close();
  await radio?.close();
});

const saved = { ...process.env };
afterEach(() => {
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  seen.length = 0;
});

/** Credentials the AWS chain finds first (the environment), with no instance-metadata lookup. */
function useCredentials(secret: string): void {
  process.env['AWS_ACCESS_KEY_ID'] = ACCESS_KEY;
  process.env['AWS_SECRET_ACCESS_KEY'] = secret;
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
  delete process.env['AWS_SESSION_TOKEN'];
  delete process.env['AWS_PROFILE'];
}

describe('SigV4-signed MCP servers', () => {
  it(
    'a hub entry with sigv4 signs every request with the credential ' + 'chain; the server verifies each and answers',
    async () => {
      useCredentials(SECRET);
      const hub = new McpHub([
        { name: 'agentcore', transport: 'http', url, sigv4: { service: SERVICE, region: REGION } },
      ]);
      try {
        await hub.start();
        const state = await hub.whenSettled('agentcore');
        expect(state.error).toBeUndefined();
        expect(state.status).toBe('connected');
        const result = await hub.callTool('agentcore', 'top_song', { sign: 'WZPZ' });
        expect(result.isError).toBeFalsy();
        expect(JSON.stringify(result.content)).toContain('song');
      } finally {
        await hub.close();
      }
      expect(seen.length).toBeGreaterThanOrEqual(3);
      expect(seen.filter((s) => !s.ok)).toEqual([]);
    },
  );

  it('wrong credentials are refused: the server fails with the 403, and no request got through', async () => {
    useCredentials('not-the-secret-of-this-key');
    const hub = new McpHub(
      [{ name: 'agentcore', transport: 'http', url, sigv4: { service: SERVICE, region: REGION } }],
      {
        connectTimeoutMs: 5_000,
      },
    );
    try {
      await hub.start();
      const state = await hub.whenSettled('agentcore');
      expect(state.status).toBe('failed');
      expect(state.error).toMatch(/403/);
    } finally {
      await hub.close();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => !s.ok && s.why === 'signature does not match')).toBe(true);
  });

  it('a request whose body changed after signing, or that is not signed, is refused', async () => {
    const credentials = { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET };
    const tamper = sigv4Fetch({
      service: SERVICE,
      region: REGION,
      credentials,
      fetch: (input, init) => fetch(input, { ...init, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' }),
    });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0"}' };
    expect((await tamper(url, init)).status).toBe(403);
    expect((await fetch(url, init)).status).toBe(403);
    expect(seen.map((s) => s.why)).toEqual(['body does not match its signed hash', 'not signed']);
  });
});
