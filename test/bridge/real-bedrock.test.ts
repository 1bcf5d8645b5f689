/**
 * The one test that talks to real Amazon Bedrock: it runs only when AWS credentials are present (a profile, access
 * keys or a Bedrock API key) and skips with a printed reason otherwise. Model: $MCP_BEDROCK_TEST_MODEL or Claude.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BedrockModelClient, HubToolset, McpHub, runToolLoop } from '../../bridge/index.js';
import { bundledServers } from './servers.js';

const env = process.env;
const hasCredentials = Boolean(env['AWS_PROFILE'] || env['AWS_ACCESS_KEY_ID'] || env['AWS_BEARER_TOKEN_BEDROCK']);
if (!hasCredentials)
  console.log(
    'real Bedrock test: skipped because no AWS credentials are set ' +
      '(AWS_PROFILE, AWS_ACCESS_KEY_ID or AWS_BEARER_TOKEN_BEDROCK)',
  );

let hub: McpHub;
beforeAll(async () => {
  if (!hasCredentials) return;
  hub = new McpHub(bundledServers(['radio']));
  await hub.start();
});
afterAll(async () => hub?.close());

it.skipIf(!hasCredentials)(
  'answers the top song on WZPZ with real Bedrock and the radio server',
  async () => {
    const client = new BedrockModelClient({
      region: env['AWS_REGION'] ?? 'us-east-1',
      ...(env['AWS_PROFILE'] && { profile: env['AWS_PROFILE'] }),
    });
    const result = await runToolLoop(
      [{ role: 'user', content: [{ text: 'What is the most popular song on WZPZ?' }] }],
      {
        client,
        modelId: env['MCP_BEDROCK_TEST_MODEL'] ?? 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        toolset: new HubToolset(hub),
      },
    );
    expect(result.toolCalls.map((c) => c.tool)).toContain('top_song');
    expect(result.text).toContain('Elemental Hotel');
  },
  120_000,
);
