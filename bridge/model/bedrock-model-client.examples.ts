/** Examples for bedrock-model-client.ts: type-checked by `npm run check`, copied into its TSDoc. */
import { BedrockModelClient } from 'mcp-bedrock-bridge';
import { startEmulator } from 'mcp-bedrock-bridge/emulator';

export async function BedrockModelClient_regions(): Promise<void> {
  //#region BedrockModelClient_regions
  // Real Bedrock with the AWS SDK's default credential chain (environment, profile, SSO, instance role) …
  const bedrock = new BedrockModelClient({ region: 'us-west-2' });
  // … a named profile, or a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK works without the option).
  const withProfile = new BedrockModelClient({ region: 'eu-central-1', profile: 'prod' });
  const withApiKey = new BedrockModelClient({
    region: 'us-east-1',
    bearerToken: process.env['BEDROCK_API_KEY'] ?? '',
  });
  await Promise.all([bedrock.close(), withProfile.close(), withApiKey.close()]);
  //#endregion BedrockModelClient_regions
}

export async function BedrockModelClient_emulator(): Promise<void> {
  //#region BedrockModelClient_emulator
  // The offline emulator (or a local gateway): a loopback endpoint needs no AWS credentials.
  const emulator = await startEmulator({ port: 0 });
  const client = new BedrockModelClient({ endpoint: emulator.url });
  //#endregion BedrockModelClient_emulator
  await client.close();
  await emulator.close();
}
