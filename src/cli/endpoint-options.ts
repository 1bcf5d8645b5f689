/**
 * The options the endpoint commands (`gateway`, `anthropic`) share: where they listen, which Bedrock they call and
 * with which credentials, the client keys file, and the wait for Ctrl-C (README, "Gateway mode").
 */
import type { ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { type ClientKeys, loadClientKeys, type Upstream, upstreamFrom } from '../gateway/index.js';
import { createRecorder } from '../recording/index.js';
import { CliError } from './cli-error.js';
import { portOption } from './options.js';

/** The command-line spec of the shared options (node:util parseArgs). */
export const ENDPOINT_ARGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  upstream: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  keys: { type: 'string' },
  'allowed-host': { type: 'string', multiple: true },
  config: { type: 'string', short: 'c' },
  record: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The zod shape of the shared options that are validated, listening on `defaultPort` unless --port says. */
export const endpointOptionShape = (defaultPort: number) => ({
  port: portOption(defaultPort),
  host: z.string().default('127.0.0.1'),
  upstream: z.url('--upstream expects a URL, e.g. https://bedrock-runtime.us-east-1.amazonaws.com').optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, '--region expects an AWS region such as us-east-1')
    .optional(),
  record: z.string().min(1, '--record expects a folder for the recordings').optional(),
});

/** The validated upstream options. */
export interface UpstreamChoice {
  upstream?: string | undefined;
  region?: string | undefined;
  record?: string | undefined;
}

/** The options validated by `schema`, --region defaulting to $AWS_REGION; a bad one is a `CLI_BAD_OPTION` error. */
export function parseEndpointOptions<S extends z.ZodType>(
  schema: S,
  values: { region?: string | undefined } & Record<string, unknown>,
): z.infer<S> {
  const parsed = schema.safeParse({ ...values, region: values.region ?? process.env['AWS_REGION'] });
  if (!parsed.success) throw new CliError('CLI_BAD_OPTION', parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/** Throws the error of a file an option names (a keys or models file that does not load) as `CLI_BAD_OPTION`. */
export const badOption = (error: Error): never => {
  throw new CliError('CLI_BAD_OPTION', error.message);
};

/** The client keys of `--keys FILE`, when given; a file that does not load is a `CLI_BAD_OPTION` error. */
export async function keysOption(
  file: string | undefined,
  onWarning: (message: string) => void,
): Promise<ClientKeys | undefined> {
  return file ? loadClientKeys(file, onWarning).catch(badOption) : undefined;
}

/** The Bedrock the options name: --upstream, else --region's, with --profile's credentials and --record. */
export function endpointUpstream(options: UpstreamChoice, profile: string | undefined): Upstream {
  return upstreamFrom({
    ...(options.region && { region: options.region }),
    ...(options.upstream && { endpoint: options.upstream }),
    ...(profile && { profile }),
    ...(options.record && { recorder: createRecorder(options.record) }),
  });
}

/** Where requests go, for the startup line: the --upstream URL or `Bedrock <region>`. */
export const upstreamLabel = (options: UpstreamChoice): string =>
  options.upstream ?? `Bedrock ${options.region ?? 'us-east-1'}`;

/** Resolves on the first SIGINT or SIGTERM. */
export const untilStopped = (): Promise<void> =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
