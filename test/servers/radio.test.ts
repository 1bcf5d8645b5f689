import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../servers/radio/server.js';
import { loadStations } from '../../servers/radio/stations.js';
import { serveHttp } from '../../servers/shared/http-host.js';
import { call, httpClient, inMemoryClient, stdioClient } from './mcp-client.js';

const stations = loadStations();

describe('radio server', () => {
  it('lists top_song with the user guide schema and read-only annotations', async () => {
    const client = await inMemoryClient(buildServer({ stations }));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['top_song']);
    expect(tools[0]?.inputSchema.required).toEqual(['sign']);
    expect(tools[0]?.annotations?.readOnlyHint).toBe(true);
    await client.close();
  });

  it('answers WZPZ and reports unknown stations with the exact error text', async () => {
    const client = await inMemoryClient(buildServer({ stations }));
    const hit = await call(client, 'top_song', { sign: 'WZPZ' });
    expect(hit).toEqual({
      isError: false,
      text: '{"song":"Elemental Hotel","artist":"8 Storey Hike"}',
      structured: { song: 'Elemental Hotel', artist: '8 Storey Hike' },
    });
    expect((await call(client, 'top_song', { sign: 'WKRP' })).structured?.['song']).toBe('Dream Weaver');
    const miss = await call(client, 'top_song', { sign: 'WZPA' });
    expect(miss).toMatchObject({ isError: true, text: 'Station WZPA not found.' });
    await client.close();
  });

  it('runs as a stdio process', async () => {
    const client = await stdioClient('radio');
    expect((await call(client, 'top_song', { sign: 'WZPZ' })).structured).toEqual({
      song: 'Elemental Hotel',
      artist: '8 Storey Hike',
    });
    await client.close();
  });

  describe('over Streamable HTTP', () => {
    const hosting = serveHttp(() => buildServer({ stations }), { host: '127.0.0.1', port: 0 });
    afterAll(async () => (await hosting).close());

    it('answers tool calls at /mcp', async () => {
      const client = await httpClient((await hosting).url);
      expect((await call(client, 'top_song', { sign: 'WZPZ' })).text).toContain('Elemental Hotel');
      await client.close();
    });

    it('refuses foreign Host and Origin headers with 403', async () => {
      const { url } = await hosting;
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const origin = await fetch(url, {
        method: 'POST',
        body,
        headers: { ...headers, origin: 'https://evil.example' },
      });
      expect(origin.status).toBe(403);
      const { request } = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(url, { method: 'POST', headers: { ...headers, host: 'evil.example' } }, (res) =>
          resolve(res.statusCode ?? 0),
        );
        req.on('error', reject);
        req.end(body);
      });
      expect(status).toBe(403);
    });
  });
});
