/**
 * Endpoints on this machine (the offline emulator, a local gateway) accept any SigV4 signature, so a client
 * pointed at one needs no AWS credentials: it signs with placeholders unless the user configured credentials of
 * their own (docs/emulator.md).
 */

/** Static AWS credentials (an access key pair, with a session token for temporary ones). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/** Whether a host name or bind address (`localhost`, `127.x.x.x`, `::1`, `[::1]`) is this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host).toLowerCase();
  return LOOPBACK_NAMES.has(bare) || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/** Credentials the caller configured, in options or in the environment the AWS SDK reads. */
export interface ConfiguredCredentials {
  credentials?: AwsCredentials | undefined;
  profile?: string | undefined;
  bearerToken?: string | undefined;
}

/**
 * Placeholder credentials for a loopback `endpoint` when none are configured (in `configured` or as
 * `AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, `AWS_BEARER_TOKEN_BEDROCK`); `undefined` otherwise, so real endpoints and
 * users with credentials keep the SDK's own credential chain.
 */
export function offlineCredentials(
  endpoint: string | undefined,
  configured: ConfiguredCredentials,
  env: Readonly<Record<string, string | undefined>> = process.env,
): AwsCredentials | undefined {
  if (endpoint === undefined || configured.credentials || configured.profile || configured.bearerToken)
    return undefined;
  if (env['AWS_ACCESS_KEY_ID'] || env['AWS_PROFILE'] || env['AWS_BEARER_TOKEN_BEDROCK']) return undefined;
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    return undefined;
  }
  // A fresh object each time: the AWS SDK annotates the credentials it is given.
  return isLoopbackHost(host) ? { accessKeyId: 'offline', secretAccessKey: 'offline' } : undefined;
}
