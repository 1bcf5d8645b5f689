import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpHub } from '../../bridge/index.js';
import { buildServer } from '../../servers/radio/server.js';
import { loadStations } from '../../servers/radio/stations.js';
import { type HttpHost, type HttpHostOptions, serveHttp } from '../../servers/shared/http-host.js';

const dir = mkdtempSync(join(tmpdir(), 'remote-access-'));
const TOKEN = 'a-long-enough-token-0123456789';
const tokenFile = join(dir, 'tokens');
writeFileSync(tokenFile, `# one token a line\n${TOKEN}\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stations = loadStations();
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/** A raw POST where every header, Host included, is the test's choice. */
function rawPost(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(INITIALIZE);
  });
}

async function radioHost(options: Partial<HttpHostOptions>): Promise<HttpHost> {
  return serveHttp(() => buildServer({ stations }), { host: '127.0.0.1', port: 0, ...options });
}

/** Runs the shipped server entry and resolves with its exit code and stderr, or kills it once it listens. */
function runEntry(args: string[]): Promise<{ code: number | null; stderr: string; listened: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'dist', 'servers', 'radio', 'main.js'), ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let listened = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('MCP over Streamable HTTP at')) {
        listened = true;
        child.kill('SIGTERM');
      }
    });
    child.on('exit', (code) => resolve({ code, stderr, listened }));
  });
}

describe('remote access: refusing to start unprotected', () => {
  it('--host 0.0.0.0 without authentication refuses to start and says what to pass', async () => {
    const { code, stderr, listened } = await runEntry(['--transport', 'http', '--host', '0.0.0.0', '--port', '0']);
    expect(listened).toBe(false);
    expect(code).toBe(2);
    expect(stderr).toContain('refusing to listen on 0.0.0.0 without authentication');
    expect(stderr).toContain('--token-file');
    expect(stderr).toContain('--oauth-issuer');
  });

  it('--host 0.0.0.0 with --token-file starts, and drains on SIGTERM (exit 0)', async () => {
    const args = ['--transport', 'http', '--host', '0.0.0.0', '--port', '0', '--token-file', tokenFile];
    const { code, listened } = await runEntry(args);
    expect(listened).toBe(true);
    expect(code).toBe(0);
  });

  it('an empty or missing token file is a clear start-up error', async () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '# nothing\n\n');
    const missing = await runEntry(['--transport', 'http', '--port', '0', '--token-file', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--token-file ${join(dir, 'nope')}`);
    const none = await runEntry(['--transport', 'http', '--port', '0', '--token-file', empty]);
    expect(none.stderr).toContain('holds no tokens');
  });
});

describe('remote access: bearer tokens from --token-file', () => {
  let host: HttpHost;
  beforeAll(async () => {
    host = await radioHost({ auth: { tokenFile } });
  });
  afterAll(() => host.close());

  it('lets a client with a listed token call tools (McpHub with an Authorization header)', async () => {
    const hub = new McpHub([
      { name: 'radio', transport: 'http', url: host.url, headers: { authorization: `Bearer ${TOKEN}` } },
    ]);
    await hub.start();
    expect(hub.servers()[0]?.status).toBe('connected');
    const result = await hub.callTool('radio', 'top_song', { sign: 'WZPZ' });
    expect(result.structuredContent).toEqual({ song: 'Elemental Hotel', artist: '8 Storey Hike' });
    await hub.close();
  });

  it('answers 401 with WWW-Authenticate without a token or with another one', async () => {
    const none = await rawPost(host.url, {});
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="mcp"');
    const wrong = await rawPost(host.url, { authorization: 'Bearer not-a-listed-token-xxxxxxxx' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('error="invalid_token"');
    expect((await rawPost(host.url, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('keeps /healthz open to load balancers', async () => {
    expect((await fetch(host.url.replace('/mcp', '/healthz'))).status).toBe(200);
  });
});

/** An OAuth authorization server's public face: RFC 8414 metadata and a JWKS, on loopback. */
async function fakeIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    const body =
      req.url === '/.well-known/oauth-authorization-server'
        ? { issuer, jwks_uri: `${issuer}/jwks`, token_endpoint: `${issuer}/token` }
        : req.url === '/jwks'
          ? { keys: [jwk] }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const other = await generateKeyPair('ES256');
  const sign = (claims: { aud: string; exp?: number | string; key?: typeof privateKey }) =>
    new SignJWT({ scope: 'mcp:tools', client_id: 'test-client' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(claims.aud)
      .setSubject('user-1')
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? '5m')
      .sign(claims.key ?? privateKey);
  return { issuer, sign, otherKey: other.privateKey, close: () => server.close() };
}

describe('remote access: OAuth 2.1 resource server (JWT access tokens)', () => {
  let issuer: Awaited<ReturnType<typeof fakeIssuer>>;
  let host: HttpHost;
  beforeAll(async () => {
    issuer = await fakeIssuer();
    host = await radioHost({ auth: { oauthIssuer: issuer.issuer } });
  });
  afterAll(async () => {
    await host.close();
    issuer.close();
  });

  const metadataUrl = () => host.url.replace('/mcp', '/.well-known/oauth-protected-resource/mcp');

  it('serves protected-resource metadata naming this server and its issuer', async () => {
    for (const url of [metadataUrl(), host.url.replace('/mcp', '/.well-known/oauth-protected-resource')]) {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        resource: host.url,
        authorization_servers: [issuer.issuer],
        bearer_methods_supported: ['header'],
      });
    }
  });

  it('accepts a valid token whose audience is this server', async () => {
    const token = await issuer.sign({ aud: host.url });
    const hub = new McpHub([
      { name: 'radio', transport: 'http', url: host.url, headers: { authorization: `Bearer ${token}` } },
    ]);
    await hub.start();
    expect((await hub.callTool('radio', 'top_song', { sign: 'WZPZ' })).isError).toBeFalsy();
    await hub.close();
  });

  it(
    'answers 401 pointing at the metadata without a token, and ' + 'for expired, wrong-audience or forged ones',
    async () => {
      const none = await rawPost(host.url, {});
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toBe(`Bearer resource_metadata="${metadataUrl()}"`);
      const cases = [
        [await issuer.sign({ aud: host.url, exp: Math.floor(Date.now() / 1000) - 120 }), 'expired'],
        [await issuer.sign({ aud: 'https://other.example/mcp' }), 'audience'],
        [await issuer.sign({ aud: host.url, key: issuer.otherKey }), 'signature'],
      ] as const;
      for (const [token, why] of cases) {
        const response = await rawPost(host.url, { authorization: `Bearer ${token}` });
        expect(response.status).toBe(401);
        const challenge = String(response.headers['www-authenticate']);
        expect(challenge).toContain('error="invalid_token"');
        expect(challenge).toContain(`resource_metadata="${metadataUrl()}"`);
        expect(challenge).toContain(why);
      }
    },
  );
});

describe('remote access: allowed hosts and origins', () => {
  it('--allowed-hosts accepts the proxy name and refuses others; --allowed-origins likewise', async () => {
    const host = await radioHost({
      auth: { tokenFile },
      allowedHosts: ['mcp.example.com', 'lb.internal:8080'],
      allowedOrigins: ['https://app.example.com'],
    });
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await rawPost(host.url, { ...auth, host: 'mcp.example.com' })).status).toBe(200);
    expect((await rawPost(host.url, { ...auth, host: 'MCP.example.com:443' })).status).toBe(200);
    expect((await rawPost(host.url, { ...auth, host: 'lb.internal:8080' })).status).toBe(200);
    expect((await rawPost(host.url, { ...auth, host: 'lb.internal:9090' })).status).toBe(403);
    expect((await rawPost(host.url, { ...auth, host: 'evil.example' })).status).toBe(403);
    // The list replaces the defaults: the loopback name is not this deployment's name any more.
    expect((await rawPost(host.url, { ...auth, host: '127.0.0.1' })).status).toBe(403);
    const origin = { ...auth, host: 'mcp.example.com' };
    expect((await rawPost(host.url, { ...origin, origin: 'https://app.example.com' })).status).toBe(200);
    expect((await rawPost(host.url, { ...origin, origin: 'https://evil.example' })).status).toBe(403);
    await host.close();
  });

  it('a loopback server refuses foreign Host and Origin headers by default', async () => {
    const host = await radioHost({});
    expect((await rawPost(host.url, { host: 'evil.example' })).status).toBe(403);
    expect((await rawPost(host.url, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await rawPost(host.url, { host: `localhost:${host.port}` })).status).toBe(200);
    await host.close();
  });
});
