import { execFile } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationView } from '../../src/web/api-types.js';
import { databaseUrl, postgresSchemas } from '../support/postgres.js';
import { ApiClient } from './api-client.js';
import { accountsFile, CLI, startWebStack, type WebStack } from './web-stack.js';

const PASSWORD = 'correct horse battery staple';

describe('web chat on loopback: the one-time link, request checks, headers', () => {
  let stack: WebStack;
  beforeAll(async () => {
    stack = await startWebStack({ args: ['--rate-limit', '3'] });
  });
  afterAll(() => stack.close());

  it('signs in with the printed link once; the next link is printed when it is used', async () => {
    const first = await stack.takeLink();
    const browser = new ApiClient(stack.url);
    expect(await browser.openLink(first)).toBe(303);
    expect((await browser.me()).user).toBe('local');
    const next = await stack.nextLink(first);
    expect(next).not.toBe(first);
    expect(await new ApiClient(stack.url).openLink(first)).toBe(403);
    expect(await new ApiClient(stack.url).openLink(next.replace(/token=.*/, 'token=guessed'))).toBe(403);
  });

  it('answers signed-out API calls with 401 and says how to sign in', async () => {
    const anonymous = new ApiClient(stack.url);
    const me = await anonymous.json<{ signIn: string }>('GET', '/api/me');
    expect(me).toEqual({ status: 401, body: { signIn: 'link', title: 'AnyCompany support' } });
    expect((await anonymous.json('GET', '/api/conversations')).status).toBe(401);
  });

  it('sends a strict CSP, no-sniff, no framing and an HttpOnly SameSite=Strict cookie', async () => {
    const page = await fetch(stack.url);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src " +
        "'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; " +
        "require-trusted-types-for 'script'; trusted-types dompurify",
    );
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const link = await fetch(await stack.takeLink(), { redirect: 'manual' });
    expect(link.headers.get('set-cookie')).toMatch(
      /^mcpb_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=86400$/,
    );
  });

  it('refuses foreign Host and Origin headers (DNS rebinding) and cross-site fetches', async () => {
    const browser = new ApiClient(stack.url);
    await browser.openLink(await stack.takeLink());
    const asked = async (headers: Record<string, string>, method = 'GET') =>
      (await browser.request(method, '/api/conversations', method === 'POST' ? { text: 'hi' } : undefined, headers))
        .status;
    const port = new URL(stack.url).port;
    expect(await browser.raw('GET', '/api/conversations', { host: 'attacker.example' })).toBe(403);
    expect(await browser.raw('GET', '/api/conversations', { host: `attacker.example:${port}` })).toBe(403);
    expect(await browser.raw('GET', '/', { host: `attacker.example:${port}` })).toBe(403);
    expect(await browser.raw('GET', '/api/conversations', { host: `localhost:${port}` })).toBe(200);
    expect(await asked({ origin: 'http://attacker.example' })).toBe(403);
    // Same site, other port: another local app is not this page.
    expect(await asked({ origin: 'http://127.0.0.1:1' }, 'POST')).toBe(403);
    expect(await asked({ 'sec-fetch-site': 'cross-site' })).toBe(403);
    expect(await asked({ 'sec-fetch-site': 'same-origin' })).toBe(200);
  });

  it('refuses state-changing requests without Origin or without the CSRF token', async () => {
    const browser = new ApiClient(stack.url);
    await browser.openLink(await stack.takeLink());
    const noOrigin = await fetch(new URL('/api/conversations', stack.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: (browser as unknown as { cookie: string }).cookie },
      body: JSON.stringify({ text: 'hi' }),
    });
    expect(noOrigin.status).toBe(403);
    const noToken = await browser.request('POST', '/api/conversations', { text: 'hi' }, { 'x-csrf-token': 'forged' });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: { code: string } }).error.code).toBe('WEB_CSRF');
  });

  it('rejects bad bodies with a message naming the field', async () => {
    const browser = new ApiClient(stack.url);
    await browser.openLink(await stack.takeLink());
    expect(await browser.json('POST', '/api/conversations', { text: '   ' })).toEqual({
      status: 400,
      body: { error: { code: 'WEB_BAD_REQUEST', message: 'text: the message is empty' } },
    });
    expect((await browser.json('POST', '/api/conversations', { text: 'hi', extra: 1 })).status).toBe(400);
    // A malformed percent-encoding in an id names no conversation: 404, not a 500.
    for (const path of ['/api/conversations/%zz', '/api/conversations/web-x/approvals/%E0%A4%A']) {
      const post = path.includes('approvals');
      const response = await browser.request(post ? 'POST' : 'GET', path, post ? { approved: true } : undefined);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      await response.arrayBuffer();
    }
  });

  it('limits how many messages a user sends per minute (429 with Retry-After)', async () => {
    const browser = new ApiClient(stack.url);
    await browser.openLink(await stack.takeLink());
    // --rate-limit 3: three messages pass, the fourth waits for the bucket to refill (20 s per message).
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const response = await browser.request('POST', '/api/conversations', { text: 'I need help with an order' });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe('web chat with accounts: each user sees only their own conversations', () => {
  let stack: WebStack;
  let alice: ApiClient;
  let bob: ApiClient;
  let aliceConversation: string;
  beforeAll(async () => {
    const accounts = accountsFile([
      { name: 'alice', password: PASSWORD },
      { name: 'bob', password: `${PASSWORD}!`, role: 'operator' },
    ]);
    stack = await startWebStack({ args: ['--accounts', accounts] });
    alice = new ApiClient(stack.url);
    bob = new ApiClient(stack.url);
    expect(await alice.signIn('alice', PASSWORD)).toBe(200);
    expect(await bob.signIn('bob', `${PASSWORD}!`)).toBe(200);
    aliceConversation = (await alice.say(undefined, 'I need help with an order')).id;
  });
  afterAll(() => stack.close());

  it('refuses a wrong password and an unknown user alike', async () => {
    const stranger = new ApiClient(stack.url);
    expect(await stranger.signIn('alice', 'wrong password!')).toBe(401);
    expect(await stranger.signIn('mallory', PASSWORD)).toBe(401);
    expect(await stranger.json('GET', '/api/conversations')).toMatchObject({ status: 401 });
  });

  it("gives a user's own conversation to them and 404 to everyone else, by id, stream and action", async () => {
    expect(aliceConversation).toMatch(/^alice\./);
    expect((await alice.json('GET', `/api/conversations/${aliceConversation}`)).status).toBe(200);
    const paths: [string, string, unknown?][] = [
      ['GET', `/api/conversations/${aliceConversation}`],
      ['GET', `/api/conversations/${aliceConversation}/events`],
      ['POST', `/api/conversations/${aliceConversation}/messages`, { text: 'My order is 32057' }],
      ['POST', `/api/conversations/${aliceConversation}/stop`, {}],
      ['POST', `/api/conversations/${aliceConversation}/approvals/tooluse_x`, { approved: true }],
    ];
    for (const [method, path, body] of paths) {
      const response = await bob.request(method, path, body);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      await response.arrayBuffer();
    }
    const listed = await bob.json<{ conversations: { id: string }[] }>('GET', '/api/conversations');
    expect(listed.body.conversations.map((c) => c.id)).not.toContain(aliceConversation);
    // Nothing Bob sent reached Alice's conversation.
    const after = await alice.json<ConversationView>('GET', `/api/conversations/${aliceConversation}`);
    expect(after.body.items.filter((i) => i.kind === 'user').map((i) => i.kind === 'user' && i.text)).toEqual([
      'I need help with an order',
    ]);
  });

  it('keeps the operator view from customers: no tool calls, no thinking, even when asked for', async () => {
    const view = await alice.say(aliceConversation, 'My order is 32057');
    const asOperator = await alice.json<ConversationView>(
      'GET',
      `/api/conversations/${aliceConversation}?view=operator`,
    );
    for (const body of [view, asOperator.body]) {
      expect(body.items.map((i) => i.kind)).toEqual(['user', 'assistant', 'user', 'assistant']);
      expect(JSON.stringify(body)).not.toMatch(/get_order_by_id|get_user|thinking|usage/);
    }
    const events = await alice.events(aliceConversation, (e) => e.type === 'snapshot');
    expect(JSON.stringify(events)).not.toMatch(/get_order_by_id|thinking/);
  });
});

describe('behind an HTTPS proxy (--public-url https://…)', () => {
  let stack: WebStack;
  const publicUrl = 'https://chat.example.test';
  beforeAll(async () => {
    const accounts = accountsFile([{ name: 'carol', password: PASSWORD }]);
    stack = await startWebStack({ args: ['--accounts', accounts, '--public-url', publicUrl] });
  });
  afterAll(() => stack.close());

  it('accepts only the public Host and Origin, and sets a __Host- Secure cookie with HSTS', async () => {
    const client = new ApiClient(stack.url);
    const headers = { host: 'chat.example.test', origin: publicUrl };
    const signIn = await client.rawResponse('POST', '/api/login', headers, { username: 'carol', password: PASSWORD });
    expect(signIn.status).toBe(200);
    expect(signIn.headers['set-cookie']?.[0]).toMatch(
      /^__Host-mcpb_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=86400; Secure$/,
    );
    expect(signIn.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    // The proxy's public name only: the loopback address it forwards to is not accepted from browsers.
    expect(await client.raw('GET', '/api/me', { host: new URL(stack.url).host })).toBe(403);
    expect(
      await client.raw(
        'POST',
        '/api/login',
        { host: 'chat.example.test', origin: 'http://chat.example.test' },
        {
          username: 'carol',
          password: PASSWORD,
        },
      ),
    ).toBe(403);
  });
});

describe('mcp-bedrock web beyond loopback', () => {
  const refusal = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, [CLI, 'web', ...args], (error, _stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, stderr }),
      );
    });

  it('refuses to start without accounts, or without an HTTPS public URL', async () => {
    const accounts = accountsFile([{ name: 'dave', password: PASSWORD }]);
    const bare = await refusal(['--host', '0.0.0.0']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--host 0.0.0.0 is beyond loopback: give --accounts FILE');
    const plain = await refusal([
      '--host',
      '0.0.0.0',
      '--accounts',
      accounts,
      '--public-url',
      'http://chat.example.test',
    ]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('is not https');
  });
});

describe('a conversation is a CLI session: the browser and `chat --session` continue each other', () => {
  let stack: WebStack;
  let browser: ApiClient;
  beforeAll(async () => {
    stack = await startWebStack({ args: ['--operator'] });
    browser = new ApiClient(stack.url);
    await browser.openLink(await stack.takeLink());
  });
  afterAll(() => stack.close());

  it('continues a browser conversation in the terminal and shows the terminal turn in the page', async () => {
    const { id } = await browser.say(undefined, 'I need help with an order');
    const output = await stack.cli(['chat', '--session', id], 'My order is 32057\n/exit\n');
    expect(output).toContain(`resumed session "${id}"`);
    expect(output).toContain('Order 32057 for Terry Whitlock (012347): 1 × Backpack at $59.99, status Shipped.');
    const view = await browser.settled(id);
    expect(view.items.at(-1)).toEqual({
      kind: 'assistant',
      text: 'Order 32057 for Terry Whitlock (012347): 1 × Backpack at $59.99, status Shipped.',
    });
  });

  it('continues a terminal session in the browser, with the earlier turns as context', async () => {
    await stack.cli(['run', '--session', 'from-the-terminal', 'My order is 32057']);
    const listed = await browser.json<{ conversations: { id: string }[] }>('GET', '/api/conversations');
    expect(listed.body.conversations.map((c) => c.id)).toContain('from-the-terminal');
    const view = await browser.say('from-the-terminal', "I'd like to cancel this order", 'operator');
    expect(view.items.at(-1)).toMatchObject({ kind: 'assistant' });
    expect(view.items.at(-1)).toMatchObject({ text: "Order 32057 is Shipped, so it can't be cancelled." });
    // The follow-up found the order id in the turn the terminal played, and looked 32057 up again.
    const tools = view.items.flatMap((i) => (i.kind === 'tool' ? [`${i.tool}(${JSON.stringify(i.input)})`] : []));
    expect(tools.at(-1)).toBe('get_order_by_id({"order_id":"32057"})');
  });
});

const schemas = postgresSchemas('web chat conversations');

describe.skipIf(!databaseUrl)('conversations in PostgreSQL (--database-url), shared with the CLI', () => {
  let stack: WebStack;
  let browser: ApiClient;
  let url: string;
  beforeAll(async () => {
    const schema = schemas();
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.end();
    const withSchema = new URL(databaseUrl as string);
    withSchema.searchParams.set('options', `-c search_path=${schema}`);
    url = withSchema.href;
    stack = await startWebStack({ args: ['--database-url', url] });
    browser = new ApiClient(stack.url);
    await browser.openLink(await stack.takeLink());
  });
  afterAll(() => stack?.close());

  it('saves the browser conversation in PostgreSQL, where chat --session continues it', async () => {
    const { id } = await browser.say(undefined, 'I need help with an order');
    const output = await stack.cli(['chat', '--session', id, '--database-url', url], 'My order is 32057\n/exit\n');
    expect(output).toContain('Order 32057 for Terry Whitlock (012347): 1 × Backpack at $59.99, status Shipped.');
    const view = await browser.settled(id);
    expect(view.items.map((i) => i.kind)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(stack.output()).toContain('conversations in postgres://');
  });
});
