/** Where the gateway sends requests: real Bedrock by region, or any endpoint (the emulator, another gateway). */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentials } from '../../bridge/index.js';

export interface UpstreamOptions {
  region?: string;
  endpoint?: string;
  profile?: string;
  credentials?: AwsCredentials;
  bearerToken?: string;
}

export interface Upstream {
  endpoint: string;
  region: string;
  bearerToken?: string;
  credentials(): Promise<AwsCredentials>;
}

export function upstreamFrom(options: UpstreamOptions): Upstream {
  const region = options.region ?? 'us-east-1';
  const endpoint = options.endpoint ?? `https://bedrock-runtime.${region}.amazonaws.com`;
  const bearerToken = options.bearerToken ?? process.env['AWS_BEARER_TOKEN_BEDROCK'];
  const chain = options.credentials ? undefined : defaultProvider(options.profile ? { profile: options.profile } : {});
  return {
    endpoint,
    region,
    ...(bearerToken && { bearerToken }),
    credentials: async () => options.credentials ?? (await (chain as NonNullable<typeof chain>)()),
  };
}
