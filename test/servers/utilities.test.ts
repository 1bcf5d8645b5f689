import { describe, expect, it } from 'vitest';
import { evaluate } from '../../servers/utilities/calculator.js';
import { buildServer } from '../../servers/utilities/server.js';
import { serveHttp } from '../../servers/shared/http-host.js';
import { call, httpClient, inMemoryClient, stdioClient } from './mcp-client.js';

describe('utilities server', () => {
  it("counts the P's and E's of Peter Piper case-insensitively", async () => {
    const client = await inMemoryClient(buildServer());
    const phrase = 'Peter piper picked a peck of pickled peppers';
    expect((await call(client, 'count_letters', { word: phrase, letter: 'p' })).text).toBe(
      `There are 9 "P"s in "${phrase}".`,
    );
    expect((await call(client, 'count_letters', { word: phrase, letter: 'E' })).structured?.['count']).toBe(8);
    expect((await call(client, 'count_letters', { word: 'strawberry', letter: 'r' })).structured?.['count']).toBe(3);
  });

  it('calculates with precedence, powers, unary minus and decimals', async () => {
    const client = await inMemoryClient(buildServer());
    expect(await call(client, 'calculator', { expr: '9*8' })).toMatchObject({
      text: '9*8 = 72',
      structured: { result: 72 },
    });
    expect(evaluate('2 + 3 * (4 - 1) ^ 2')).toBe(29);
    expect(evaluate('-2^2')).toBe(-4);
    expect(evaluate('2^3^2')).toBe(512);
    expect(evaluate('0.1 + 0.2') - 0.3).toBeLessThan(1e-12);
    expect((await call(client, 'calculator', { expr: '0.1+0.2' })).text).toBe('0.1+0.2 = 0.3');
  });

  it('reports bad expressions and division by zero as tool errors naming the position', async () => {
    const client = await inMemoryClient(buildServer());
    expect(await call(client, 'calculator', { expr: '1/0' })).toMatchObject({
      isError: true,
      text: 'Division by zero.',
    });
    const bad = await call(client, 'calculator', { expr: '2 + process.exit()' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('position 5');
    expect((await call(client, 'calculator', { expr: '(1+2' })).text).toContain('missing ")"');
  });

  it('tells the time in a zone and rejects unknown zones', async () => {
    const now = new Date('2024-07-04T17:05:09Z');
    const client = await inMemoryClient(buildServer({ now: () => now }));
    expect((await call(client, 'current_time', { timezone: 'America/Chicago' })).text).toBe(
      'The current time is Thursday, July 4, 2024 at 12:05:09 PM CDT',
    );
    const bad = await call(client, 'current_time', { timezone: 'Mars/Olympus' });
    expect(bad).toMatchObject({ isError: true });
    expect(bad.text).toContain('Unknown time zone "Mars/Olympus"');
  });

  it('serves Streamable HTTP on loopback', async () => {
    const host = await serveHttp(() => buildServer(), { host: '127.0.0.1', port: 0 });
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await httpClient(host.url);
    expect((await call(client, 'count_letters', { word: 'strawberry', letter: 'r' })).text).toBe(
      'There are 3 "R"s in "strawberry".',
    );
    await client.close();
    await host.close();
  });

  it('runs as a stdio process', async () => {
    const client = await stdioClient('utilities');
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual([
      'calculator',
      'count_letters',
      'current_time',
    ]);
    expect((await call(client, 'calculator', { expr: '9 * 8' })).structured).toEqual({ expr: '9 * 8', result: 72 });
    await client.close();
  });
});
