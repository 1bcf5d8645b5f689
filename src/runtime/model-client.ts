/** Builds the Bedrock client the CLI uses from its options and the environment. */
import { BedrockModelClient, type BedrockModelClientOptions } from '../../bridge/index.js';
import type { ModelOptions } from '../cli/options.js';
import { createRecorder, RecordingRequestHandler } from '../recording/index.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function hasOwnCredentials(options: ModelOptions, env: NodeJS.ProcessEnv): boolean {
  return Boolean(options.profile ?? env['AWS_PROFILE'] ?? env['AWS_ACCESS_KEY_ID'] ?? env['AWS_BEARER_TOKEN_BEDROCK']);
}

export function modelClientOptions(options: ModelOptions, env: NodeJS.ProcessEnv): BedrockModelClientOptions {
  const client: BedrockModelClientOptions = { region: options.region ?? 'us-east-1' };
  if (options.endpoint) client.endpoint = options.endpoint;
  if (options.profile) client.profile = options.profile;
  // A local emulator or gateway accepts any signature: spare offline users from configuring AWS credentials.
  if (options.endpoint && LOOPBACK.has(new URL(options.endpoint).hostname) && !hasOwnCredentials(options, env)) {
    client.credentials = { accessKeyId: 'offline', secretAccessKey: 'offline' };
  }
  if (options.record) client.requestHandler = new RecordingRequestHandler(createRecorder(options.record));
  return client;
}

export function createModelClient(options: ModelOptions, env: NodeJS.ProcessEnv): BedrockModelClient {
  return new BedrockModelClient(modelClientOptions(options, env));
}
