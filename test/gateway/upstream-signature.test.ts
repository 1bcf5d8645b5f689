/**
 * The gateway signs its upstream requests with aws4 (docs/performance.md, "Gateway"); these tests hold its
 * signatures to the AWS SDK's own signer, @smithy/signature-v4, re-signing what the upstream received.
 */
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamFrom } from '../../src/gateway/index.js';
import { upstreamRequest } from '../../src/gateway/upstream-request.js';
import { readBody } from '../../src/http/request-body.js';
import { startListener, type Heard, type Listener } from '../security/gateway-raw-http.js';

const CREDENTIALS = { accessKeyId: 'AKIDGATEWAY', secretAccessKey: 'gateway/secret+key', sessionToken: 'TOKEN/=+' };
const SIGNED = ['content-length', 'content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token'];

/** The Authorization header the AWS SDK's signer writes for what the upstream heard, at the same instant. */
async function sdkAuthorization(heard: Heard, region: string): Promise<string> {
  const stamp = String(heard.headers['x-amz-date']);
  const date = new Date(stamp.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const headers = Object.fromEntries(SIGNED.map((name) => [name, String(heard.headers[name])]));
  const signer = new SignatureV4({
    service: 'bedrock',
    region,
    credentials: CREDENTIALS,
    sha256: Hash.bind(null, 'sha256'),
  });
  const [path] = heard.url.split('?');
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: headers['host'] as string,
      path: path as string,
      headers,
      body: heard.body,
    },
    { signingDate: date },
  );
  return String(signed.headers['authorization']);
}

let listener: Listener;
beforeAll(async () => {
  listener = await startListener();
});
afterAll(async () => {
  await listener.close();
});

describe('the upstream signature', () => {
  it.each([
    ['converse', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', ''],
    ['converse-stream', 'anthropic.claude-3-haiku-20240307-v1:0', '/prefix'],
    ['invoke', 'arn:aws:bedrock:us-west-2:111122223333:inference-profile/us.amazon.nova-pro-v1:0', ''],
  ] as const)('is the AWS SDK signer\'s own for %s of %s (endpoint path "%s")', async (operation, modelId, prefix) => {
    const upstream = upstreamFrom({ endpoint: listener.url + prefix, region: 'us-west-2', credentials: CREDENTIALS });
    const body = Buffer.from(JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'héllo / ünïcode' }] }] }));
    const answer = await upstreamRequest(upstream, { modelId, operation }, body);
    await readBody(answer);
    const heard = listener.requests.at(-1) as Heard;
    expect(heard.url.startsWith(`${prefix}/model/`)).toBe(true);
    expect(heard.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    expect(heard.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(heard.headers['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDGATEWAY\/\d{8}\/us-west-2\/bedrock\/aws4_request, SignedHeaders=/,
    );
    expect(heard.headers['authorization']).toBe(await sdkAuthorization(heard, 'us-west-2'));
  });
});
