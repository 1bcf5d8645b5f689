/** Where the gateway sends requests: real Bedrock by region, or any endpoint (the emulator, another gateway). */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentials } from '../../bridge/index.js';
import type { Recorder } from '../recording/index.js';

export interface UpstreamOptions {
  region?: string;
  endpoint?: string;
  profile?: string;
  credentials?: AwsCredentials;
  bearerToken?: string;
  /** Write every upstream exchange as a replayable recording (`gateway --record DIR`). */
  recorder?: Recorder;
}

export interface Upstream {
  endpoint: string;
  region: string;
  bearerToken?: string;
  recorder?: Recorder;
  credentials(): Promise<AwsCredentials>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const OFFLINE: AwsCredentials = { accessKeyId: 'offline', secretAccessKey: 'offline' };

export function upstreamFrom(options: UpstreamOptions): Upstream {
  const region = options.region ?? 'us-east-1';
  const endpoint = options.endpoint ?? `https://bedrock-runtime.${region}.amazonaws.com`;
  const bearerToken = options.bearerToken ?? process.env['AWS_BEARER_TOKEN_BEDROCK'];
  // A loopback upstream (the emulator, another local gateway) accepts any signature: like `run --endpoint`, the
  // gateway needs no AWS credentials for it unless the user configured some.
  const offline =
    LOOPBACK.has(new URL(endpoint).hostname) &&
    !options.profile &&
    !process.env['AWS_PROFILE'] &&
    !process.env['AWS_ACCESS_KEY_ID'];
  const fixed = options.credentials ?? (offline ? OFFLINE : undefined);
  const chain = fixed ? undefined : defaultProvider(options.profile ? { profile: options.profile } : {});
  return {
    endpoint,
    region,
    ...(bearerToken && { bearerToken }),
    ...(options.recorder && { recorder: options.recorder }),
    credentials: async () => fixed ?? (await (chain as NonNullable<typeof chain>)()),
  };
}
