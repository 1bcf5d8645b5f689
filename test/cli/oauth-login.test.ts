/**
 * The CLI's OAuth sign-in end to end (docs/remote-servers.md, "The CLI's sign-in"): a real authorization server
 * (oidc-provider, with dynamic registration, PKCE, resource indicators and JWT access tokens) in front of the
 * radio server, which validates those tokens against the issuer's JWKS. The test plays the browser: it follows
 * the authorization URL the CLI prints, signs in and consents on the server's pages, and lands on the CLI's
 * loopback redirect. Then a tool call, a refresh once the access token has expired, and logout; the token file
 * is 0600 in a 0700 folder, and no token appears in any output, log or session record.
 */
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { buildServer } from '../../servers/radio/server.js';
import { loadStations } from '../../servers/radio/stations.js';
import { type HttpHost, serveHttp } from '../../servers/shared/http-host.js';
import { CLI, scenarioEmulator } from '../support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'oauth-login-'));
const data = join(dir, 'data');
const config = join(dir, 'mcp.json');
const ACCESS_TOKEN_TTL_S = 3;
/** A client registered beforehand for the headless grant. */
const CI = { clientId: 'ci-bot', clientSecret: 'ci-bot-secret-0123456789abcdef' };

let issuerServer: Server;
let provider: Provider;
let radio: HttpHost;
let emulator: Emulator;
const grants: string[] = [];
/** Every output of every CLI run, searched for tokens at the end. */
const outputs: string[] = [];
/** Every token the CLI was given (read from its token file as the test goes). */
const tokens = new Set<string>();

/** The sign-in pages: one form per prompt (login, then consent), as a browser shows them. */
async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const uid = details.uid;
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<form method="post" action="/interaction/${uid}/${details.prompt.name}"><button>Continue</button></form>`);
    return;
  }
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: 'alice' } }, { mergeWithLastSubmission: false });
    return;
  }
  const grant = new provider.Grant({ accountId: 'alice', clientId: String(details.params['client_id']) });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
    grant.addResourceScope(resource, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function startIssuer(): Promise<string> {
  issuerServer = createServer();
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  provider = new Provider(issuer, {
    jwks: { keys: [jwk] },
    clients: [
      {
        client_id: CI.clientId,
        client_secret: CI.clientSecret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      },
    ],
    cookies: { keys: ['oauth-login-test-cookie-key'] },
    scopes: ['openid', 'offline_access', 'radio'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => radio.url,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== radio.url) throw new Error(`unknown resource ${resource}`);
          return {
            scope: 'radio',
            audience: resource,
            accessTokenTTL: ACCESS_TOKEN_TTL_S,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    pkce: { required: () => true },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    interactions: { url: (_ctx, i) => `/interaction/${i.uid}` },
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
  });
  provider.on('grant.success', (ctx) => grants.push(String(ctx.oidc.params?.['grant_type'])));
  const callback = provider.callback();
  issuerServer.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/'))
      interaction(req, res).catch((e: Error) => res.writeHead(500).end(e.message));
    else callback(req, res);
  });
  return issuer;
}

beforeAll(async () => {
  const stations = loadStations();
  // The resource server needs the issuer's URL and the issuer the resource's: start the listener first.
  const issuer = await startIssuer();
  radio = await serveHttp(() => buildServer({ stations }), {
    host: '127.0.0.1',
    port: 0,
    auth: { oauthIssuer: issuer },
  });
  emulator = await scenarioEmulator();
  writeFileSync(config, JSON.stringify({ mcpServers: { radio: { url: radio.url, oauth: { scopes: ['radio'] } } } }));
});
afterAll(async () => {
  await Promise.allSettled([radio?.close(), emulator?.close()]);
  issuerServer?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Cli {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI; `onStderr` sees its stderr as it comes (the printed authorization URL). With `paste`, stdin stays
 * open for `onStderr` to write to (and end).
 */
function cli(
  args: string[],
  onStderr?: (text: string, stdin: Writable) => void,
  file = config,
  paste = false,
): Promise<Cli> {
  const child = spawn(process.execPath, [CLI, ...args, '-c', file], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, XDG_DATA_HOME: data, BROWSER: 'none' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    onStderr?.(stderr, child.stdin);
  });
  if (!paste) child.stdin.end();
  return new Promise((resolve) =>
    child.on('close', (code) => {
      outputs.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    }),
  );
}

/**
 * The browser: follows redirects with cookies, submits each sign-in form, and opens the loopback redirect (the
 * page's text), or with `deliver` false stops there (the redirect's address, for pasting).
 */
async function browse(start: string, deliver = true): Promise<string> {
  const jar = new Map<string, string>();
  let url = new URL(start);
  let method = 'GET';
  for (let hop = 0; hop < 20; hop++) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, { method, redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const set of response.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      method = 'GET';
      if (url.pathname === '/callback') return deliver ? (await fetch(url)).text() : url.href;
      continue;
    }
    const form = /action="([^"]+)"/.exec(await response.text());
    if (!form) throw new Error(`no form or redirect at ${url} (${response.status})`);
    url = new URL(form[1] as string, url);
    method = 'POST';
  }
  throw new Error('too many redirects');
}

const tokenFiles = (): string[] =>
  readdirSync(join(data, 'mcp-bedrock', 'oauth')).map((f) => join(data, 'mcp-bedrock', 'oauth', f));

/** The tokens in the token file (remembered for the final search). */
function stored(): { access: string; refresh: string } {
  const [file] = tokenFiles();
  const state = JSON.parse(readFileSync(file as string, 'utf8')).state;
  const current = state.tokens[state.current];
  tokens.add(current.access_token);
  tokens.add(current.refresh_token);
  return { access: current.access_token, refresh: current.refresh_token };
}

const PROMPT = 'What is the top song on WZPZ?';

describe('mcp-bedrock auth: OAuth sign-in against a real authorization server', () => {
  it('run before any sign-in fails the server and says to run auth login', async () => {
    const run = await cli(['run', '--endpoint', emulator.url, PROMPT]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('sign in first: mcp-bedrock auth login radio');
  });

  it(
    'auth login: the browser signs in and consents, the loopback ' + 'redirect completes it; tokens in a 0600 file',
    async () => {
      let browsing: Promise<string> | undefined;
      const login = await cli(['auth', 'login', 'radio'], (text) => {
        const url = /^\s+(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)$/m.exec(text)?.[1];
        if (url && !browsing) browsing = browse(url);
      });
      expect(login.stderr).toContain('MCP server "radio" needs you to sign in. Open this address in a browser:');
      expect(await browsing).toContain('Signed in to radio.');
      expect(login.stdout).toContain('radio: signed in (1 tools)');
      expect(login.code).toBe(0);
      expect(grants).toEqual(['authorization_code']);
      const [file] = tokenFiles();
      expect(statSync(file as string).mode & 0o777).toBe(0o600);
      expect(statSync(join(data, 'mcp-bedrock', 'oauth')).mode & 0o777).toBe(0o700);
      const { access, refresh } = stored();
      expect(refresh).toBeTruthy();
      expect(decodeJwt(access).aud).toBe(radio.url);
      const status = await cli(['auth', 'status']);
      expect(status.stdout).toMatch(/^radio: signed in at http:\/\/127\.0\.0\.1:\d+ \(with a refresh token/m);
    },
  );

  it('run calls the tool with the stored token, and refreshes it once it has expired', async () => {
    const first = await cli(['run', '--endpoint', emulator.url, '--session', 'radio-oauth', PROMPT]);
    expect(first.stderr).not.toContain('failed');
    expect(first.stdout).toMatch(/The most popular song on WZPZ is .+ by .+\./);
    expect(first.code).toBe(0);
    const before = stored();
    // Wait until the access token the next run starts with is past its expiry (the resource server refuses it).
    const exp = decodeJwt(before.access).exp as number;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 1500));
    const refreshes = grants.filter((g) => g === 'refresh_token').length;
    const second = await cli(['run', '--endpoint', emulator.url, '--session', 'radio-oauth', PROMPT]);
    expect(second.stdout).toMatch(/The most popular song on WZPZ is .+ by .+\./);
    expect(second.code).toBe(0);
    expect(grants.filter((g) => g === 'refresh_token').length).toBeGreaterThan(refreshes);
    expect(stored().access).not.toBe(before.access);
  });

  it('auth logout deletes the tokens; the next run asks for a sign-in again', async () => {
    const logout = await cli(['auth', 'logout', 'radio']);
    expect(logout.stdout).toContain('radio: signed out (its tokens were deleted)');
    expect(tokenFiles()).toEqual([]);
    expect((await cli(['auth', 'status', 'radio'])).stdout).toContain('radio: not signed in');
    const run = await cli(['run', '--endpoint', emulator.url, PROMPT]);
    expect(run.stderr).toContain('sign in first: mcp-bedrock auth login radio');
  });

  it(
    'chat signs in when the server answers 401, while the other ' + 'servers start and the chat takes commands',
    async () => {
      const chatConfig = join(dir, 'chat.json');
      const utilities = join(process.cwd(), 'dist', 'servers', 'utilities', 'main.js');
      writeFileSync(
        chatConfig,
        JSON.stringify({
          mcpServers: {
            radio: { url: radio.url, oauth: { scopes: ['radio'] } },
            utilities: { command: process.execPath, args: [utilities] },
          },
        }),
      );
      const child = spawn(process.execPath, [CLI, 'chat', '--endpoint', emulator.url, '-c', chatConfig], {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '', HOME: dir, XDG_DATA_HOME: data, BROWSER: 'none' },
      });
      let output = '';
      const waiters: (() => void)[] = [];
      const take = (d: Buffer): void => {
        output += d.toString();
        for (const w of waiters.splice(0)) w();
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      const closed = new Promise((resolve) => child.on('close', resolve));
      /** Resolves with the match once the output (after `from`) matches `pattern`. */
      const waitFor = async (pattern: RegExp, from = 0): Promise<RegExpExecArray> => {
        for (;;) {
          const match = pattern.exec(output.slice(from));
          if (match) return match;
          await new Promise<void>((resolve) => waiters.push(resolve));
        }
      };
      try {
        const url = (await waitFor(/^\s+(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)$/m))[1] as string;
        let mark = output.length;
        child.stdin.write('/mcp\n');
        await waitFor(/utilities: connected/, mark);
        expect(output.slice(mark)).toMatch(/radio: authorizing/);
        expect(await browse(url)).toContain('Signed in to radio.');
        for (let connected = false; !connected; ) {
          mark = output.length;
          child.stdin.write('/mcp\n');
          connected = /radio: (\w+)/.exec((await waitFor(/radio: \w+[^\n]*\n/, mark))[0])?.[1] === 'connected';
          if (!connected) await new Promise((resolve) => setTimeout(resolve, 200));
        }
        mark = output.length;
        child.stdin.write(`${PROMPT}\n`);
        await waitFor(/The most popular song on WZPZ is .+ by .+\./, mark);
        child.stdin.write('/exit\n');
        await closed;
      } finally {
        child.kill();
        outputs.push(output);
      }
      stored();
    },
  );

  it('client_credentials (a pre-registered client, no person): run calls the tool; nothing is stored', async () => {
    const entry = (issuer: string) => ({
      url: radio.url,
      oauth: { grantType: 'client_credentials', ...CI, scopes: ['radio'], issuer },
    });
    const issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    const before = tokenFiles();
    const granted = grants.length;
    writeFileSync(join(dir, 'ci.json'), JSON.stringify({ mcpServers: { ci: entry(issuer) } }));
    const run = await cli(['run', '--endpoint', emulator.url, PROMPT], undefined, join(dir, 'ci.json'));
    expect(run.stdout).toMatch(/The most popular song on WZPZ is .+ by .+\./);
    expect(run.code).toBe(0);
    expect(grants.slice(granted)).toEqual(['client_credentials']);
    expect(tokenFiles()).toEqual(before);
    // The secret goes only to the issuer the entry names: the server's own authorization server is not it.
    writeFileSync(join(dir, 'ci.json'), JSON.stringify({ mcpServers: { ci: entry('https://auth.example.com') } }));
    const elsewhere = await cli(['run', '--endpoint', emulator.url, PROMPT], undefined, join(dir, 'ci.json'));
    expect(elsewhere.stderr).toMatch(/MCP server "ci" failed: .*auth\.example\.com/);
    expect(grants.slice(granted)).toEqual(['client_credentials']);
    for (const text of outputs) expect(text).not.toContain(CI.clientSecret);
  });

  it('auth login without a browser that reaches the listener: the pasted redirect address completes it', async () => {
    await cli(['auth', 'logout', 'radio']);
    let pasting: Promise<void> | undefined;
    const login = await cli(
      ['auth', 'login', 'radio'],
      (text, stdin) => {
        const url = /^\s+(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)$/m.exec(text)?.[1];
        if (!url || pasting) return;
        pasting = browse(url, false).then((redirect) => {
          stdin.write('hello\n');
          stdin.end(`${redirect}\n`);
        });
      },
      config,
      true,
    );
    await pasting;
    expect(login.stderr).toContain('If the browser cannot reach this machine, paste here the address it ends on');
    expect(login.stderr).toContain('That is not the address you were sent to');
    expect(login.stdout).toContain('radio: signed in (1 tools)');
    expect(login.code).toBe(0);
    stored();
  });

  it('no token appears in any output, server log or session record', () => {
    expect(tokens.size).toBeGreaterThanOrEqual(4);
    const files: string[] = [];
    const walk = (at: string): void => {
      for (const entry of readdirSync(at, { withFileTypes: true }))
        entry.isDirectory() ? walk(join(at, entry.name)) : files.push(join(at, entry.name));
    };
    walk(data);
    expect(files.some((f) => f.endsWith('.log'))).toBe(true);
    expect(files.some((f) => /sessions/.test(f))).toBe(true);
    // Everything but the token file itself.
    const records = files.filter((f) => !tokenFiles().includes(f));
    expect(records.length).toBe(files.length - 1);
    const haystacks = [
      ...outputs.map((text, i) => ({ where: `output ${i}`, text })),
      ...records.map((f) => ({ where: f, text: readFileSync(f, 'latin1') })),
    ];
    for (const token of tokens)
      for (const { where, text } of haystacks) expect(text.includes(token), where).toBe(false);
  });
});
