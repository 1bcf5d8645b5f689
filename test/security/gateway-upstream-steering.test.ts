/**
 * Attack: choose where the gateway sends its credentials through the request path (`/.///attacker/...`,
 * absolute-form targets, encoded slashes and dot segments in the model id). The upstream is fixed by
 * configuration: every such request is refused, and the attacker's listener receives nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalToolset } from '../../bridge/index.js';
import { startGateway, upstreamFrom, type Gateway } from '../../src/gateway/index.js';
import { rawRequest, startListener, type Listener } from './gateway-raw-http.js';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const BODY = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
const lookup = new LocalToolset([
  { name: 'lookup', description: 'Looks something up.', inputSchema: { type: 'object' }, run: async () => 'found' },
]);

let attacker: Listener;
let upstream: Listener;
const gateways: { name: string; gateway: Gateway }[] = [];

beforeAll(async () => {
  attacker = await startListener();
  upstream = await startListener();
  const signed = upstreamFrom({
    endpoint: `${upstream.url}/prefix`,
    credentials: { accessKeyId: 'GATEWAYKEY', secretAccessKey: 'gateway-secret', sessionToken: 'GATEWAY-TOKEN' },
  });
  const bearer = upstreamFrom({ endpoint: `${upstream.url}/prefix`, bearerToken: 'ABSKgatewaysownkey000' });
  gateways.push(
    { name: 'relay, SigV4 upstream', gateway: await startGateway({ port: 0, upstream: signed }) },
    { name: 'relay, Bearer upstream', gateway: await startGateway({ port: 0, upstream: bearer }) },
    { name: 'MCP tools, SigV4 upstream', gateway: await startGateway({ port: 0, upstream: signed, toolset: lookup }) },
    { name: 'MCP tools, Bearer upstream', gateway: await startGateway({ port: 0, upstream: bearer, toolset: lookup }) },
  );
});
afterAll(async () => {
  for (const { gateway } of gateways) await gateway.close();
  await attacker.close();
  await upstream.close();
});

const enc = encodeURIComponent;
const attacks = (host: string): [string, number][] => [
  [`/.///${host}/model/x/converse`, 404],
  [`//${host}/model/${enc(MODEL)}/converse`, 404],
  [`/./model/${enc(MODEL)}/converse`, 404],
  [`http://${host}/model/${enc(MODEL)}/converse`, 404],
  [`/model/${enc(MODEL)}/converse/..//${host}/model/x/converse`, 404],
  [`/x/../model/${enc(MODEL)}/converse`, 404],
  [`/model/${enc(MODEL)}/async-invoke`, 404],
  [`/model/${enc(MODEL)}/invoke/x`, 404],
  [`/model/${enc(MODEL)}/invoke-with-response-stream/..//${host}/model/x/invoke`, 404],
  [`/model/..%2F..%2F${host}%2Fmodel%2Fx/invoke`, 400],
  [`/model/..%2F..%2F${host}%2Fmodel%2Fx/converse`, 400],
  [`/model/%2F%2F${host}%2Fx/converse`, 400],
  [`/model/@${host}/converse`, 400],
  [`/model/%252F%252F${host}/converse`, 400],
  [`/model/%E0%A4%A/converse`, 400],
  [`/model/../converse`, 400],
  [`/model/%2E%2E/converse`, 400],
];

describe('the request path cannot steer the upstream', () => {
  it('refuses every steering path, and neither the attacker nor the upstream hears of it', async () => {
    const host = `127.0.0.1:${attacker.port}`;
    for (const { name, gateway } of gateways) {
      for (const [target, status] of attacks(host)) {
        const answer = await rawRequest(gateway.url, { target, body: BODY });
        expect({ name, target, status: answer.status }).toEqual({ name, target, status });
      }
    }
    expect(attacker.connections).toBe(0);
    expect(upstream.requests).toEqual([]);
  });

  it('sends a valid model id, ARN included, to the configured upstream only, re-encoded as one segment', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0';
    for (const { gateway } of gateways) {
      for (const target of [`/model/${enc(arn)}/converse`, `/model/${enc(MODEL)}/converse?next=//${attacker.port}`]) {
        upstream.requests.length = 0;
        const answer = await rawRequest(gateway.url, { target, body: BODY });
        expect(answer.status).toBe(200);
        const modelId = target.includes('arn') ? arn : MODEL;
        expect(upstream.requests.map((r) => r.url)).toEqual([`/prefix/model/${enc(modelId)}/converse`]);
      }
    }
    expect(attacker.connections).toBe(0);
  });

  it(
    'sends InvokeModel to the configured upstream only: relayed as ' + "/invoke, with MCP tools as the loop's Converse",
    async () => {
      const body = JSON.stringify({
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      });
      for (const { name, gateway } of gateways) {
        for (const operation of ['invoke', 'invoke-with-response-stream']) {
          upstream.requests.length = 0;
          const answer = await rawRequest(gateway.url, {
            target: `/model/${enc(MODEL)}/${operation}?x=//${host()}`,
            body,
          });
          expect(answer.status).toBe(200);
          const sent = name.startsWith('relay') ? operation : 'converse';
          expect(upstream.requests.map((r) => r.url)).toEqual([`/prefix/model/${enc(MODEL)}/${sent}`]);
        }
      }
      expect(attacker.connections).toBe(0);
    },
  );
});

const host = (): string => `127.0.0.1:${attacker.port}`;
