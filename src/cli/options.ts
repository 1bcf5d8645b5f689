/**
 * Command-line options of the model commands (`run`, `chat`, `tools`), parsed with node:util and validated with
 * zod at this boundary so the rest of the CLI trusts them. Each command accepts only the options it acts on: an
 * option it would ignore is an error that says so, and a typo gets the nearest option name.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { closest } from '../suggest.js';
import { CliError } from './cli-error.js';

/** The model used without --model or $MCP_BEDROCK_MODEL. */
export const DEFAULT_MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
/** Connect + initialize + tools/list per MCP server, in milliseconds. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

const MODEL = {
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
  'no-cache': { type: 'boolean' },
  'cache-ttl': { type: 'string' },
  record: { type: 'string' },
  prices: { type: 'string' },
} as const satisfies OptionSpec;

const TOOLS = {
  config: { type: 'string', short: 'c' },
  'connect-timeout': { type: 'string' },
  'code-mode': { type: 'string' },
  'no-tool-search': { type: 'boolean' },
  'allow-unisolated-sandbox': { type: 'boolean' },
  'tool-timeout': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
} as const satisfies OptionSpec;

const SESSION = {
  session: { type: 'string', short: 's' },
  'database-url': { type: 'string' },
} as const satisfies OptionSpec;

const COMMON = {
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** The options each model command accepts. */
export const COMMAND_OPTIONS = {
  run: { ...MODEL, ...TOOLS, ...SESSION, ...COMMON, json: { type: 'boolean' } },
  chat: { ...MODEL, ...TOOLS, ...SESSION, ...COMMON },
  tools: {
    model: MODEL.model,
    config: TOOLS.config,
    'connect-timeout': TOOLS['connect-timeout'],
    ...COMMON,
    json: { type: 'boolean' },
  },
} as const satisfies Record<string, OptionSpec>;

/** The options of a command that runs conversations (`chat`; the web chat takes the same). */
export const MODEL_OPTIONS = COMMAND_OPTIONS.chat;

/** Every option of any model command, for "that option belongs to another command" messages. */
const ALL_OPTIONS: OptionSpec = { ...COMMAND_OPTIONS.run, ...COMMAND_OPTIONS.tools };

const intIn = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `--${name} expects a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `--${name} expects a number from ${min} to ${max}`);

/**
 * `--port N` of the commands that listen (emulator, gateway, web): a whole number from 0 (any free port) to
 * 65535, `defaultPort` when absent; a bad value names the option.
 */
export const portOption = (defaultPort: number) => intIn('port', 0, 65535).default(defaultPort);

const schema = z.object({
  model: z.string().min(1, '--model expects a Bedrock model id').default(DEFAULT_MODEL),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, '--region expects an AWS region such as us-east-1')
    .optional(),
  endpoint: z.url('--endpoint expects a URL such as http://127.0.0.1:8787').optional(),
  profile: z.string().min(1, '--profile expects a profile name').optional(),
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
  /** Prompt caching (`--no-cache` turns it off; docs/prompt-caching.md). */
  cache: z.boolean(),
  cacheTtl: z.enum(['5m', '1h'], { error: '--cache-ttl expects 5m or 1h' }).optional(),
  config: z.string().min(1, '--config expects a file').optional(),
  connectTimeoutMs: intIn('connect-timeout', 100, 600_000).default(DEFAULT_CONNECT_TIMEOUT_MS),
  /** `all`, or a comma-separated list of `server` or `server/tool` names offered through `execute_code`. */
  codeMode: z
    .string()
    .regex(/^[\w./,\s-]+$/, '--code-mode expects "all" or a comma-separated list of servers or server/tool names')
    .optional(),
  /** Tool search for catalogs past the threshold (`--no-tool-search` turns it off; docs/tool-search.md). */
  toolSearch: z.boolean(),
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
  /** A JSON price table over the built-in one (`--prices FILE`, $MCP_BEDROCK_PRICES). */
  prices: z.string().min(1, '--prices expects a JSON file').optional(),
  verbose: z.boolean(),
  help: z.boolean(),
});

/** The validated options of a model command (absent ones at their defaults). */
export type ModelOptions = z.infer<typeof schema>;

/** Options and the positional arguments after them. */
export interface Parsed<T> {
  options: T;
  positionals: string[];
}

/** Parses and validates the options of `run`, `chat` or `tools`. */
export function parseModelOptions(
  command: keyof typeof COMMAND_OPTIONS,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Parsed<ModelOptions> {
  const { values: parsed, positionals } = parseCommandLine(argv, COMMAND_OPTIONS[command], command);
  const values = parsed as Record<string, string | boolean | undefined>;
  const text = (name: string): string | undefined => values[name] as string | undefined;
  const result = schema.safeParse({
    model: text('model') ?? env['MCP_BEDROCK_MODEL'],
    region: text('region') ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'],
    endpoint: text('endpoint') ?? env['MCP_BEDROCK_ENDPOINT'],
    profile: text('profile'),
    system: text('system'),
    maxTurns: text('max-turns'),
    maxTokens: text('max-tokens'),
    temperature: text('temperature'),
    stream: values['no-stream'] ? false : ((values['stream'] as boolean | undefined) ?? true),
    cache: values['no-cache'] !== true,
    cacheTtl: text('cache-ttl'),
    config: text('config') ?? env['MCP_BEDROCK_CONFIG'],
    connectTimeoutMs: text('connect-timeout'),
    codeMode: text('code-mode'),
    toolSearch: values['no-tool-search'] !== true,
    allowUnisolatedSandbox: values['allow-unisolated-sandbox'] ?? false,
    toolTimeoutMs: text('tool-timeout'),
    session: text('session'),
    databaseUrl: text('database-url') ?? (command === 'tools' ? undefined : env['MCP_BEDROCK_DATABASE_URL']),
    yes: values['yes'] ?? false,
    json: values['json'] ?? false,
    record: text('record'),
    prices: text('prices') ?? (command === 'tools' ? undefined : env['MCP_BEDROCK_PRICES']),
    verbose: values['verbose'] ?? false,
    help: values['help'] ?? false,
  });
  if (!result.success) {
    throw new CliError('CLI_BAD_OPTION', result.error.issues.map((issue) => issue.message).join('\n'));
  }
  return { options: result.data, positionals };
}

/** What to say about an option node:util rejected: another command's option, a typo, or unknown. */
function explainUnknown(flag: string, options: OptionSpec, command: string | undefined): string {
  const name = flag.replace(/^-+/, '').split('=')[0] as string;
  const own = Object.keys(options);
  if (command && !own.includes(name) && name in ALL_OPTIONS)
    return `${command} does not take --${name}. Run "mcp-bedrock ${command} --help" to see its options.`;
  const match = flag.startsWith('--') ? closest(name, own) : undefined;
  const hint = match ? ` Did you mean --${match}?` : '';
  return `unknown option ${flag}.${hint} Run with --help to see the options.`;
}

/** node:util parseArgs with its errors turned into ours (they name the option but not what to do about it). */
export function parseCommandLine<O extends OptionSpec>(
  argv: readonly string[],
  options: O,
  command?: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new CliError('CLI_BAD_OPTION', explainUnknown(unknown[1] as string, options, command));
    const missing = /^Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
    if (missing)
      throw new CliError('CLI_BAD_OPTION', `${missing[1]} expects a value. Run with --help to see the options.`);
    throw new CliError('CLI_BAD_OPTION', `${message}. Run with --help to see the options.`);
  }
}
