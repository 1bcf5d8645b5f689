/** `mcp-bedrock serve <server>`: runs a bundled MCP server in the foreground with its own options. */
import { spawn } from 'node:child_process';
import { CliError } from '../cli-error.js';
import { HELP } from '../help.js';
import { serverEntry } from '../../package-root.js';
import { BUNDLED_SERVERS } from '../../config/index.js';

export async function serveCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(`${HELP['serve']}\n`);
    return name === undefined ? 2 : 0;
  }
  if (!(BUNDLED_SERVERS as readonly string[]).includes(name)) {
    throw new CliError(
      'CLI_UNKNOWN_SERVER',
      `Unknown server "${name}". Bundled servers: ${BUNDLED_SERVERS.join(', ')}.`,
    );
  }
  // The server owns stdio (it is the MCP channel), so the child inherits it unchanged.
  const child = spawn(process.execPath, [serverEntry(name), ...rest], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
