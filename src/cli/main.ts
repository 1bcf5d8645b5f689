#!/usr/bin/env node
/**
 * `mcp-bedrock`: the bridge's command line. Commands are imported on demand, so `--help` and small commands
 * start without loading the AWS SDK, the MCP SDK or Pyodide.
 */
import { CliError } from './cli-error.js';
import { HELP } from './help.js';
import { didYouMean } from '../suggest.js';

type Command = (argv: string[]) => Promise<number>;

// The AWS SDK prints a nine-line notice about its future Node 22 floor on every run under Node 20 (chat, run,
// gateway, demo); the README says it once. Setting the variable to "false" brings the notice back.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  chat: async () => (await import('./commands/chat.js')).chatCommand,
  tools: async () => (await import('./commands/tools.js')).toolsCommand,
  sessions: async () => (await import('./commands/sessions.js')).sessionsCommand,
  emulator: async () => (await import('./commands/emulator.js')).emulatorCommand,
  gateway: async () => (await import('./commands/gateway.js')).gatewayCommand,
  anthropic: async () => (await import('./commands/anthropic.js')).anthropicCommand,
  web: async () => (await import('./commands/web.js')).webCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  config: async () => (await import('./commands/config.js')).configCommand,
  models: async () => (await import('./commands/models.js')).modelsCommand,
  auth: async () => (await import('./commands/auth.js')).authCommand,
};

// `mcp-bedrock tools | head -1`: the reader went away, which is not an error of ours. Exit quietly (the exit
// hook of the MCP hub still stops the servers).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/** Exit code of a failure: 2 for bad input (options, config), 1 for everything else. */
function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  const code = (error as { code?: string }).code;
  return code === 'CONFIG_INVALID' || code === 'SESSION_BAD_NAME' ? 2 : 1;
}

/** Resolves once everything written so far has reached the OS (pipes can be asynchronous). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

/**
 * A command's work is done when it returns: the process exits then, whatever a library left scheduled (an SSE
 * reconnect timer, a keep-alive socket). The MCP hub has stopped its servers by then (and its exit hook kills
 * any it could not).
 */
async function exit(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP['main']}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load)
    throw new CliError(
      'CLI_UNKNOWN_COMMAND',
      `Unknown command "${name}"${didYouMean(name, Object.keys(COMMANDS))}. ` +
        `Commands: ${Object.keys(COMMANDS).join(', ')}.`,
    );
  const command = await load();
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (error: unknown) => {
    const e = error as { code?: string; message?: string };
    process.stderr.write(`mcp-bedrock: ${e.message ?? String(error)}${e.code ? ` [${e.code}]` : ''}\n`);
    if (e.code === 'CREDENTIALS_MISSING') {
      process.stderr.write(
        'Offline, with no AWS account: run "mcp-bedrock emulator" and add --endpoint http://127.0.0.1:8787.\n',
      );
    }
    if (e.code === 'CONFIG_INVALID')
      process.stderr.write('Name another file with --config FILE; "mcp-bedrock config list" shows what was found.\n');
    return exit(exitCodeOf(error));
  },
);
