/** Builds the Bedrock client the CLI uses from its options and the environment. */
import { BedrockModelClient, type BedrockModelClientOptions } from '../../bridge/index.js';
import type { ModelOptions } from '../cli/options.js';
import { createRecorder, RecordingRequestHandler } from '../recording/index.js';
import { CliError } from '../cli/cli-error.js';
import { didYouMean } from '../suggest.js';

/** The client options for the CLI's model options (a loopback --endpoint needs no credentials: the client knows). */
export function modelClientOptions(options: ModelOptions): BedrockModelClientOptions {
  const client: BedrockModelClientOptions = { region: options.region ?? 'us-east-1' };
  if (options.endpoint) client.endpoint = options.endpoint;
  if (options.profile) client.profile = options.profile;
  if (options.record) client.requestHandler = new RecordingRequestHandler(createRecorder(options.record));
  return client;
}

/** The Bedrock client of a CLI command. */
export function createModelClient(options: ModelOptions): BedrockModelClient {
  return new BedrockModelClient(modelClientOptions(options));
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
    `--profile "${profile}" is not in ~/.aws/config or ` +
      `~/.aws/credentials${didYouMean(profile, known)} ` +
      `(profiles: ${known.join(', ') || 'none'}).`,
  );
}
