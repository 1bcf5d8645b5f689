import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost, offlineCredentials } from '../../bridge/entries/converse.js';
import { BedrockModelClient, LocalToolset, runToolLoop } from '../../bridge/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_BEARER_TOKEN_BEDROCK',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
];

let emulator: Emulator;
const saved = new Map<string, string | undefined>();
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  for (const name of CREDENTIAL_VARIABLES) {
    saved.set(name, process.env[name]);
    delete process.env[name];
  }
  // No shared config or credentials files either: the SDK's chain would find nothing.
  saved.set('AWS_CONFIG_FILE', process.env['AWS_CONFIG_FILE']);
  saved.set('AWS_SHARED_CREDENTIALS_FILE', process.env['AWS_SHARED_CREDENTIALS_FILE']);
  process.env['AWS_CONFIG_FILE'] = '/nonexistent/aws-config';
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = '/nonexistent/aws-credentials';
  // Nor an instance-metadata lookup: tests never reach beyond this machine.
  saved.set('AWS_EC2_METADATA_DISABLED', process.env['AWS_EC2_METADATA_DISABLED']);
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
});
afterEach(() => {
  delete process.env['AWS_ENDPOINT_URL_BEDROCK_RUNTIME'];
});
afterAll(async () => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await emulator.close();
});

const tools = new LocalToolset([]);

describe('BedrockModelClient against a loopback endpoint', () => {
  it('needs no AWS credentials: a plain string prompt gets its answer from the emulator', async () => {
    const client = new BedrockModelClient({ endpoint: emulator.url, region: 'us-east-1' });
    try {
      const result = await runToolLoop('Say hello.', { client, modelId: CLAUDE, toolset: tools });
      // The emulator answered (off its scripts, which is fine here): the request was accepted unsigned by AWS keys.
      expect(result.turns).toHaveLength(1);
      expect(result.messages[0]).toEqual({ role: 'user', content: [{ text: 'Say hello.' }] });
      expect(result.text.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('takes the endpoint from AWS_ENDPOINT_URL_BEDROCK_RUNTIME, as the AWS SDK does', async () => {
    process.env['AWS_ENDPOINT_URL_BEDROCK_RUNTIME'] = emulator.url;
    const client = new BedrockModelClient({ region: 'us-east-1' });
    try {
      const result = await runToolLoop('Say hello.', { client, modelId: CLAUDE, toolset: tools });
      expect(result.turns).toHaveLength(1);
      expect(emulator.requests.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('still reports missing credentials for a real endpoint', async () => {
    const client = new BedrockModelClient({ region: 'us-east-1' });
    try {
      await expect(runToolLoop('hi', { client, modelId: CLAUDE, toolset: tools })).rejects.toMatchObject({
        code: 'CREDENTIALS_MISSING',
      });
    } finally {
      await client.close();
    }
  });
});

describe('offlineCredentials', () => {
  it('gives placeholders only for loopback endpoints when nothing is configured', () => {
    expect(offlineCredentials('http://127.0.0.1:8787', {}, {})).toEqual({
      accessKeyId: 'offline',
      secretAccessKey: 'offline',
    });
    expect(offlineCredentials('http://[::1]:8787', {}, {})).toBeDefined();
    expect(offlineCredentials('http://localhost:8787', {}, {})).toBeDefined();
    expect(offlineCredentials('https://bedrock-runtime.us-east-1.amazonaws.com', {}, {})).toBeUndefined();
    expect(offlineCredentials(undefined, {}, {})).toBeUndefined();
    expect(offlineCredentials('http://127.0.0.1:8787', { profile: 'dev' }, {})).toBeUndefined();
    expect(offlineCredentials('http://127.0.0.1:8787', {}, { AWS_ACCESS_KEY_ID: 'AKID' })).toBeUndefined();
    expect(offlineCredentials('http://127.0.0.1:8787', {}, { AWS_BEARER_TOKEN_BEDROCK: 'key' })).toBeUndefined();
  });

  it('knows the loopback names and addresses', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '10.0.0.1', 'example.com', '128.0.0.1', '[::2]'])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});
