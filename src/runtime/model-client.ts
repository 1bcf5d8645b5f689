/** Builds the Bedrock client the CLI uses from its options and the environment. */
import { BedrockModelClient, type BedrockModelClientOptions } from '../../bridge/index.js';
import type { ModelOptions } from '../cli/options.js';
import { createRecorder, RecordingRequestHandler } from '../recording/index.js';
import { CliError } from '../cli/cli-error.js';
import { didYouMean } from '../suggest.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Dummy credentials for a loopback endpoint (the emulator or a local gateway accepts any signature) when the user
 * configured none, so offline use needs no AWS setup; undefined otherwise.
 */
export function offlineCredentials(
  endpoint: string | undefined,
  profile: string | undefined,
  env: NodeJS.ProcessEnv,
): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (!endpoint || !LOOPBACK.has(new URL(endpoint).hostname)) return undefined;
  if (profile ?? env['AWS_PROFILE'] ?? env['AWS_ACCESS_KEY_ID'] ?? env['AWS_BEARER_TOKEN_BEDROCK']) return undefined;
  return { accessKeyId: 'offline', secretAccessKey: 'offline' };
}

export function modelClientOptions(options: ModelOptions, env: NodeJS.ProcessEnv): BedrockModelClientOptions {
  const client: BedrockModelClientOptions = { region: options.region ?? 'us-east-1' };
  if (options.endpoint) client.endpoint = options.endpoint;
  if (options.profile) client.profile = options.profile;
  const offline = offlineCredentials(options.endpoint, options.profile, env);
  if (offline) client.credentials = offline;
  if (options.record) client.requestHandler = new RecordingRequestHandler(createRecorder(options.record));
  return client;
}

export function createModelClient(options: ModelOptions, env: NodeJS.ProcessEnv): BedrockModelClient {
  return new BedrockModelClient(modelClientOptions(options, env));
}

/**
 * A --profile that is in neither ~/.aws/config nor ~/.aws/credentials (or the files $AWS_CONFIG_FILE and
 * $AWS_SHARED_CREDENTIALS_FILE name) is a usage error naming the profiles that exist, not the credential chain's
 * generic "could not load credentials" at the first model call.
 */
export async function checkProfile(profile: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { loadSharedConfigFiles } = await import('@smithy/shared-ini-file-loader');
  const files = await loadSharedConfigFiles({
    ...(env['AWS_CONFIG_FILE'] && { configFilepath: env['AWS_CONFIG_FILE'] }),
    ...(env['AWS_SHARED_CREDENTIALS_FILE'] && { filepath: env['AWS_SHARED_CREDENTIALS_FILE'] }),
    ignoreCache: true,
  });
  const known = [...new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)])].sort();
  if (known.includes(profile)) return;
  throw new CliError(
    'CLI_UNKNOWN_PROFILE',
    `--profile "${profile}" is not in ~/.aws/config or ~/.aws/credentials${didYouMean(profile, known)} (profiles: ${known.join(', ') || 'none'}).`,
  );
}
