/**
 * Command-line options shared by the model commands (`chat`, `run`, `tools`, `gateway`), parsed with
 * node:util and validated with zod at this boundary so the rest of the CLI trusts them.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { CliError } from './cli-error.js';

export const DEFAULT_MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

export const MODEL_OPTIONS = {
  model: { type: 'string', short: 'm' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  profile: { type: 'string' },
  system: { type: 'string' },
  'max-turns': { type: 'string' },
  'max-tokens': { type: 'string' },
  temperature: { type: 'string' },
  stream: { type: 'boolean' },
  'no-stream': { type: 'boolean' },
  config: { type: 'string', short: 'c' },
  'code-mode': { type: 'string' },
  'allow-unisolated-sandbox': { type: 'boolean' },
  'tool-timeout': { type: 'string' },
  session: { type: 'string', short: 's' },
  'database-url': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  json: { type: 'boolean' },
  record: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const intIn = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `--${name} expects a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `--${name} expects a number from ${min} to ${max}`);

const schema = z.object({
  model: z.string().min(1, '--model expects a Bedrock model id').default(DEFAULT_MODEL),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, '--region expects an AWS region such as us-east-1')
    .optional(),
  endpoint: z.url('--endpoint expects a URL such as http://127.0.0.1:8787').optional(),
  profile: z.string().min(1).optional(),
  system: z.string().optional(),
  maxTurns: intIn('max-turns', 1, 1000).optional(),
  maxTokens: intIn('max-tokens', 1, 1_000_000).optional(),
  temperature: z
    .string()
    .regex(/^\d*\.?\d+$/, '--temperature expects a number from 0 to 1')
    .transform(Number)
    .refine((n) => n >= 0 && n <= 1, '--temperature expects a number from 0 to 1')
    .optional(),
  stream: z.boolean(),
  config: z.string().min(1).optional(),
  /** `all`, or a comma-separated list of `server` or `server/tool` names offered through `execute_code`. */
  codeMode: z
    .string()
    .regex(/^[\w./,\s-]+$/, '--code-mode expects "all" or a comma-separated list of servers or server/tool names')
    .optional(),
  /** Run code mode where the sandbox's network cannot be isolated (no user namespaces) instead of refusing. */
  allowUnisolatedSandbox: z.boolean(),
  toolTimeoutMs: intIn('tool-timeout', 1, 3_600_000).optional(),
  session: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, '--session expects a name of letters, digits, ".", "_" or "-" (at most 64)')
    .optional(),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, '--database-url expects a postgres:// URL')
    .optional(),
  yes: z.boolean(),
  json: z.boolean(),
  /** Folder for recordings of every model exchange (`--record DIR`). */
  record: z.string().min(1, '--record expects a folder for the recordings').optional(),
  verbose: z.boolean(),
  help: z.boolean(),
});

export type ModelOptions = z.infer<typeof schema>;

export interface Parsed<T> {
  options: T;
  positionals: string[];
}

export function parseModelOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Parsed<ModelOptions> {
  const { values, positionals } = parseCommandLine(argv, MODEL_OPTIONS);
  const result = schema.safeParse({
    model: values.model ?? env['MCP_BEDROCK_MODEL'],
    region: values.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'],
    endpoint: values.endpoint ?? env['MCP_BEDROCK_ENDPOINT'],
    profile: values.profile,
    system: values.system,
    maxTurns: values['max-turns'],
    maxTokens: values['max-tokens'],
    temperature: values.temperature,
    stream: values['no-stream'] ? false : (values.stream ?? true),
    config: values.config ?? env['MCP_BEDROCK_CONFIG'],
    codeMode: values['code-mode'],
    allowUnisolatedSandbox: values['allow-unisolated-sandbox'] ?? false,
    toolTimeoutMs: values['tool-timeout'],
    session: values.session,
    databaseUrl: values['database-url'] ?? env['MCP_BEDROCK_DATABASE_URL'],
    yes: values.yes ?? false,
    json: values.json ?? false,
    record: values.record,
    verbose: values.verbose ?? false,
    help: values.help ?? false,
  });
  if (!result.success) {
    throw new CliError('CLI_BAD_OPTION', result.error.issues.map((issue) => issue.message).join('\n'));
  }
  return { options: result.data, positionals };
}

/** node:util parseArgs with its errors turned into ours (they name the option but not what to do). */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError('CLI_BAD_OPTION', `${(error as Error).message}. Run with --help to see the options.`);
  }
}
