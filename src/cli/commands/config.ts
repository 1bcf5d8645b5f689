/** `mcp-bedrock config list | show`: which MCP config files exist, which is used, and its servers. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { loadMcpConfig } from '../../../bridge/entries/config.js';
import {
  configCandidates,
  declaredServers,
  describeSource,
  redactedSummary,
  resolveConfig,
  tildify,
} from '../../config/index.js';
import { packageRoot } from '../../package-root.js';
import { CliError } from '../cli-error.js';
import { HELP } from '../help.js';
import { parseCommandLine } from '../options.js';
import { plural } from '../plural.js';

/** Exit code 0, or 2 when the config in use is invalid (the error names the file, server and key). */
export async function configCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    argv,
    { config: { type: 'string', short: 'c' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    'config',
  );
  const [action = 'list'] = positionals;
  if (values.help) {
    process.stdout.write(`${HELP['config']}\n`);
    return 0;
  }
  const env = process.env;
  const cwd = process.cwd();
  const named = values.config ?? env['MCP_BEDROCK_CONFIG'];
  const out = (text: string): void => {
    process.stdout.write(`${text}\n`);
  };
  if (action === 'list') {
    const { source } = await resolveConfig(named, { cwd, env, packageRoot: packageRoot() });
    const used = source.kind === 'file' ? source.path : undefined;
    const rows = [];
    for (const candidate of configCandidates({ cwd, env })) {
      const exists = existsSync(candidate.path);
      const declared = declaredServers(candidate.path);
      const servers = !exists
        ? undefined
        : declared === 0
          ? 'no servers'
          : await loadMcpConfig(candidate.path, { env, cwd }).then(
              () => plural(declared ?? 0, 'server'),
              (e: Error) => `invalid: ${e.message}`,
            );
      rows.push({ ...candidate, exists, servers, used: candidate.path === used });
    }
    if (values.json) {
      out(JSON.stringify({ used: source, candidates: rows }, null, 2));
      return 0;
    }
    if (named) out(`--config / $MCP_BEDROCK_CONFIG: ${tildify(source.kind === 'file' ? source.path : named)} (used)`);
    out('Looked for, in this order (the first that lists a server is used):');
    for (const row of rows) {
      const mark = row.used ? '✓' : row.exists ? '·' : ' ';
      const state = row.used ? `used, ${row.servers}` : row.exists ? `found, ${row.servers}` : 'not found';
      out(`  ${mark} ${tildify(row.path, homedir()).padEnd(52)} ${row.host.padEnd(22)} ${state}`);
    }
    out(`\n${describeSource(source)}`);
    return 0;
  }
  if (action === 'show') {
    const { servers, source } = await resolveConfig(named, { cwd, env, packageRoot: packageRoot() });
    if (values.json) {
      out(JSON.stringify({ source, servers: redactedSummary(servers) }, null, 2));
      return 0;
    }
    out(describeSource(source));
    for (const line of redactedSummary(servers)) out(`  ${line}`);
    return 0;
  }
  throw new CliError('CLI_BAD_OPTION', `unknown config action "${action}": use list or show`);
}
