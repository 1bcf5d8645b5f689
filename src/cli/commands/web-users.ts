/** `mcp-bedrock web users add|remove|list`: the web chat's accounts file (Argon2id password hashes, roles). */
import { listAccounts, removeAccount, setAccount } from '../../web/accounts.js';
import { CliError } from '../cli-error.js';
import { HELP } from '../help.js';
import { LineReader } from '../line-reader.js';
import { parseCommandLine } from '../options.js';

/** The password from stdin: typed at a prompt (not echoed) in a terminal, else the first line piped in. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const reader = new LineReader(process.stdin, process.stderr);
    const line = await reader.ask('');
    reader.close();
    return line ?? '';
  }
  process.stderr.write('Password (not shown): ');
  process.stdin.setRawMode(true);
  process.stdin.resume();
  let password = '';
  try {
    for await (const chunk of process.stdin) {
      for (const char of String(chunk)) {
        if (char === '\r' || char === '\n') return password;
        if (char === '\u0003') throw new CliError('CLI_CANCELLED', 'cancelled', 130);
        password = char === '\u007f' ? password.slice(0, -1) : password + char;
      }
    }
    return password;
  } finally {
    process.stdin.setRawMode(false);
    process.stdin.pause();
    process.stderr.write('\n');
  }
}

export async function webUsersCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    accounts: { type: 'string' },
    role: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const [action, user] = positionals;
  if (values.help || action === undefined) {
    process.stdout.write(`${HELP['web-users']}\n`);
    return values.help ? 0 : 2;
  }
  const file = values.accounts;
  if (!file) throw new CliError('CLI_BAD_OPTION', 'give the accounts file with --accounts FILE');
  const role = values.role ?? 'customer';
  if (role !== 'customer' && role !== 'operator')
    throw new CliError('CLI_BAD_OPTION', '--role expects customer or operator');
  if (action === 'list') {
    for (const account of listAccounts(file)) process.stdout.write(`${account.user}\t${account.role}\n`);
    return 0;
  }
  if (!user) throw new CliError('CLI_BAD_OPTION', `web users ${action} needs a user name`);
  if (action === 'add') {
    await setAccount(file, user, await readPassword(), role);
    process.stdout.write(`${user} (${role}) saved in ${file}\n`);
    return 0;
  }
  if (action === 'remove') {
    if (!removeAccount(file, user)) throw new CliError('CLI_NOT_FOUND', `${file} has no user ${user}`, 1);
    process.stdout.write(`${user} removed from ${file}\n`);
    return 0;
  }
  throw new CliError('CLI_BAD_OPTION', `unknown action "${action}": expected add, remove or list`);
}
