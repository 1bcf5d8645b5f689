/** `mcp-bedrock sessions list | show NAME | delete NAME`. */
import { estimateCost } from '../../../bridge/index.js';
import { formatUsd, loadPrices } from '../../runtime/prices.js';
import { usageLine } from '../chat/usage-line.js';
import { defaultSessionsPath, openSessionStore } from '../../sessions/index.js';
import { CliError } from '../cli-error.js';
import { HELP } from '../help.js';
import { parseCommandLine } from '../options.js';

export async function sessionsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    'database-url': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const [action = 'list', name] = positionals;
  if (values.help) {
    process.stdout.write(`${HELP['sessions']}\nSQLite file: ${defaultSessionsPath()}\n`);
    return 0;
  }
  const databaseUrl = values['database-url'] ?? process.env['MCP_BEDROCK_DATABASE_URL'];
  const store = await openSessionStore(databaseUrl ? { databaseUrl } : {});
  try {
    if (action === 'list') {
      const sessions = await store.list();
      if (values.json) process.stdout.write(`${JSON.stringify(sessions, null, 2)}\n`);
      else if (sessions.length === 0) process.stdout.write(`no saved sessions in ${store.location}\n`);
      else
        for (const s of sessions)
          process.stdout.write(`${s.name}\t${s.modelId}\t${s.messages} messages\t${s.updatedAt}\n`);
      return 0;
    }
    if (!name)
      throw new CliError(
        'CLI_NO_SESSION',
        `sessions ${action} expects a session name, e.g. "mcp-bedrock sessions ${action} support"`,
      );
    if (action === 'show') {
      const session = await store.load(name);
      if (!session) throw new CliError('SESSION_NOT_FOUND', `no session "${name}" in ${store.location}`, 1);
      // Priced at the model it was saved with (an estimate: docs/pricing.md).
      const cost = estimateCost(session.modelId, session.usage, loadPrices(process.env['MCP_BEDROCK_PRICES'])) ?? null;
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ ...session, cost }, null, 2)}\n`);
        return 0;
      }
      const priced = cost ? ` · estimated cost ${formatUsd(cost.total)}` : '';
      process.stdout.write(`${session.name} · ${session.modelId} · ${usageLine(session.usage)}${priced}\n`);
      for (const m of session.messages) {
        for (const block of m.content) {
          const line =
            'text' in block
              ? block.text
              : 'toolUse' in block
                ? `[tool call ${block.toolUse.name} ${JSON.stringify(block.toolUse.input)}]`
                : 'toolResult' in block
                  ? `[tool result ${block.toolResult.status ?? ''}]`
                  : `[${Object.keys(block)[0]}]`;
          process.stdout.write(`${m.role}: ${line}\n`);
        }
      }
      return 0;
    }
    if (action === 'delete') {
      if (!(await store.delete(name)))
        throw new CliError('SESSION_NOT_FOUND', `no session "${name}" in ${store.location}`, 1);
      process.stdout.write(`deleted ${name}\n`);
      return 0;
    }
    throw new CliError('CLI_BAD_OPTION', `unknown sessions action "${action}": use list, show or delete`);
  } finally {
    await store.close();
  }
}
