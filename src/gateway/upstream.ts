/** Where the gateway sends requests: real Bedrock by region, or any endpoint (the emulator, another gateway). */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentials } from '../../bridge/index.js';
import { offlineCredentials } from '../../bridge/entries/converse.js';
import type { Recorder } from '../recording/index.js';

export interface UpstreamOptions {
  region?: string;
  /** A fixed URL (its path, if any, prefixes every request); default Bedrock's endpoint in `region`. */
  endpoint?: string;
  profile?: string;
  credentials?: AwsCredentials;
  bearerToken?: string;
  /** Write every upstream exchange as a replayable recording (`gateway --record DIR`). */
  recorder?: Recorder;
}

/** The configured upstream: every request goes to `endpoint`, whatever the client's request says. */
export interface Upstream {
  endpoint: string;
  region: string;
  bearerToken?: string;
  recorder?: Recorder;
  credentials(): Promise<AwsCredentials>;
}

/** The upstream from options and the environment (`AWS_BEARER_TOKEN_BEDROCK`, the default credential chain). */
export function upstreamFrom(options: UpstreamOptions, env: NodeJS.ProcessEnv = process.env): Upstream {
  const region = options.region ?? 'us-east-1';
  const endpoint = options.endpoint ?? `https://bedrock-runtime.${region}.amazonaws.com`;
  const bearerToken = options.bearerToken ?? env['AWS_BEARER_TOKEN_BEDROCK'];
  // The emulator or another local gateway needs no AWS credentials, as with `run --endpoint`: the chain is
  // consulted only when the user configured some.
  const fixed = options.credentials ?? offlineCredentials(endpoint, { profile: options.profile, bearerToken }, env);
  const chain = fixed ? undefined : defaultProvider(options.profile ? { profile: options.profile } : {});
  return {
    endpoint,
    region,
    ...(bearerToken && { bearerToken }),
    ...(options.recorder && { recorder: options.recorder }),
    credentials: async () => fixed ?? (await (chain as NonNullable<typeof chain>)()),
  };
}
