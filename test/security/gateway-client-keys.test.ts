/**
 * Attack: pass the gateway's key check with only an access key id (`Authorization: x Credential=<id>/`), a
 * signature made with the wrong secret, a replayed signature over another body, or a guessed Bearer key. A SigV4
 * request must be signed with the configured secret and is verified; the upstream hears nothing of the rest.
 */
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { connect } from 'node:http2';
import { Hash } from '@smithy/hash-node';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClientKeys, startGateway, upstreamFrom, type Gateway } from '../../src/gateway/index.js';
import { rawRequest, startListener, type Listener } from './gateway-raw-http.js';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const TARGET = `/model/${encodeURIComponent(MODEL)}/converse`;
const BODY = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
const PAIR = { accessKeyId: 'AKIATEAMCLIENT0001', secretAccessKey: 'team-secret-0123456789abcdef' };
const API_KEY = 'ABSKteamclientapikey0123456789';

let upstream: Listener;
let gateway: Gateway;

beforeAll(async () => {
  upstream = await startListener();
  const dir = mkdtempSync(join(tmpdir(), 'gateway-keys-'));
  const file = join(dir, 'keys.json');
  writeFileSync(file, JSON.stringify({ apiKeys: [API_KEY], accessKeys: [PAIR] }));
  chmodSync(file, 0o600);
  gateway = await startGateway({
    port: 0,
    upstream: upstreamFrom({ endpoint: upstream.url }),
    keys: await loadClientKeys(file),
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

function sdk(credentials: { accessKeyId: string; secretAccessKey: string }, http2 = true): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: gateway.url,
    region: 'eu-west-1',
    credentials,
    maxAttempts: 1,
    requestHandler: http2 ? new NodeHttp2Handler() : new NodeHttpHandler(),
  });
}

/** Sends headers (pseudo-headers included) and a body over h2, as the SDK's default handler does. */
function h2Request(headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = connect(gateway.url);
    session.on('error', reject);
    const stream = session.request({
      ...headers,
      ':method': 'POST',
      ':path': TARGET,
      'content-length': String(Buffer.byteLength(body)),
    });
    stream.on('response', (h) => {
      resolve(Number(h[':status']));
      session.close();
    });
    stream.on('error', reject);
    stream.end(body);
  });
}

/** Captures the exact bytes an SDK client would send, signature included, without sending them. */
async function signedRequest(): Promise<{ headers: Record<string, string>; body: string }> {
  const client = sdk(PAIR);
  let captured: { headers: Record<string, string>; body: string } | undefined;
  client.middlewareStack.add(
    () => async (args) => {
      const request = args.request as { headers: Record<string, string>; body: string | Uint8Array };
      const body = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
      captured = { headers: { ...request.headers }, body };
      throw new Error('captured');
    },
    { step: 'finalizeRequest', priority: 'low', name: 'capture' },
  );
  await client
    .send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))
    .catch(() => {});
  client.destroy();
  return captured as { headers: Record<string, string>; body: string };
}

describe('client keys', () => {
  it(
    'refuses an access key id without a valid signature, a wrong ' + 'secret, a replay over another body and bad keys',
    async () => {
      const signed = await signedRequest();
      const forged: { headers: Record<string, string>; body?: string }[] = [
        { headers: { authorization: `x Credential=${PAIR.accessKeyId}/` } },
        {
          headers: {
            authorization:
              'AWS4-HMAC-SHA256 ' +
              `Credential=${PAIR.accessKeyId}/20250101/us-east-1/bedrock/aws4_request, ` +
              `SignedHeaders=host, Signature=${'0'.repeat(64)}`,
          },
        },
        { headers: { authorization: `Bearer ${PAIR.accessKeyId}` } },
        { headers: { authorization: 'Bearer ABSKnotakeyofthisgateway000' } },
        { headers: { authorization: `Bearer ${API_KEY}x` } },
        { headers: {} },
      ];
      for (const { headers, body } of forged) {
        const { host: _host, 'content-length': _length, ...rest } = headers;
        const answer = await rawRequest(gateway.url, { target: TARGET, headers: rest, body: body ?? BODY });
        expect({ authorization: headers['authorization'], status: answer.status }).toEqual({
          authorization: headers['authorization'],
          status: 403,
        });
      }
      // The SDK's own signature replayed with another body (same length), or claiming an unsigned payload.
      expect(await h2Request(signed.headers, signed.body)).toBe(200);
      upstream.requests.length = 0;
      expect(await h2Request(signed.headers, signed.body.replace('hi', 'yo'))).toBe(403);
      expect(await h2Request({ ...signed.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, '{}')).toBe(403);
      const wrongSecret = sdk({ ...PAIR, secretAccessKey: 'not-the-secret-0123456789' });
      await expect(
        wrongSecret.send(
          new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
        ),
      ).rejects.toMatchObject({ name: 'AccessDeniedException' });
      wrongSecret.destroy();
      expect(upstream.requests).toEqual([]);
    },
  );

  it('accepts the SDK signing with a configured secret (HTTP/1.1 and h2) and a configured Bearer key', async () => {
    for (const http2 of [false, true]) {
      const teammate = sdk(PAIR, http2);
      const answer = await teammate.send(
        new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
      );
      expect(answer.output?.message?.content?.[0]?.text).toBe('ok');
      teammate.destroy();
    }
    const bearer = await rawRequest(gateway.url, {
      target: TARGET,
      headers: { authorization: `Bearer ${API_KEY}` },
      body: BODY,
    });
    expect(bearer.status).toBe(200);
    // The gateway's own credentials went upstream, never the client's.
    for (const request of upstream.requests) expect(JSON.stringify(request.headers)).not.toContain(PAIR.accessKeyId);
  });

  it('accepts a request signed the way boto3 signs it (no x-amz-content-sha256 among the signed headers)', async () => {
    // botocore signs content-type, host and x-amz-date only: the verifier must not add a payload-hash header.
    const host = new URL(gateway.url).host;
    const signer = new SignatureV4({
      service: 'bedrock',
      region: 'us-west-2',
      credentials: PAIR,
      sha256: Hash.bind(null, 'sha256'),
      applyChecksum: false,
    });
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: host,
      path: TARGET,
      headers: { 'content-type': 'application/json', host },
      body: BODY,
    });
    const authorization = String(signed.headers['authorization']);
    expect(authorization).toContain('SignedHeaders=content-type;host;x-amz-date,');
    const headers = { authorization, 'x-amz-date': String(signed.headers['x-amz-date']) };
    expect((await rawRequest(gateway.url, { target: TARGET, headers, body: BODY })).status).toBe(200);
    expect((await rawRequest(gateway.url, { target: TARGET, headers, body: BODY.replace('hi', 'yo') })).status).toBe(
      403,
    );
  });

  it('names the file and field of a bad key file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-keys-'));
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ accessKeys: [{ accessKeyId: 'AKIATEAMCLIENT0001' }], apikeys: [] }));
    await expect(loadClientKeys(file)).rejects.toThrow(
      `${file}: "accessKeys.0.secretAccessKey": Invalid input: expected string, received undefined`,
    );
    writeFileSync(file, JSON.stringify({ apiKeys: [API_KEY] }));
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    await loadClientKeys(file, (m) => warnings.push(m));
    expect(warnings).toEqual([
      `${file} is readable by other users: chmod 600 it, the keys in it spend your Bedrock credentials`,
    ]);
  });
});
