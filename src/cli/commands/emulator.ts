/** `mcp-bedrock emulator`: the offline Converse service in the foreground (docs/emulator.md). */
import { relative } from 'node:path';
import { z } from 'zod';
import { loadScenarios, startEmulator, summaryLine, type Scenario } from '../../emulator/index.js';
import { fixturesPath } from '../../package-root.js';
import { CliError } from '../cli-error.js';
import { HELP } from '../help.js';
import { parseCommandLine, portOption } from '../options.js';

const Options = z.object({
  port: portOption(8787),
  host: z.string().default('127.0.0.1'),
  scenarios: z.array(z.string().min(1, '--scenarios expects a folder or a .json file')).optional(),
  replay: z.string().min(1, '--replay expects a folder of recordings').optional(),
});

/** One scenario per block: its name, what it matches, the tools it needs, where it comes from. */
function listing(scenarios: readonly Scenario[]): string {
  return scenarios
    .map((s) => {
      const lines = [`${s.name}`, `  match:    /${s.match}/i`];
      if (s.example) lines.push(`  example:  ${s.example}`);
      lines.push(`  requires: ${s.requires.length > 0 ? s.requires.join(', ') : '(no tools)'}`);
      if (s.models) lines.push(`  models:   /${s.models}/i`);
      lines.push(`  from:     ${relative(process.cwd(), s.source) || s.source}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

/** Runs `mcp-bedrock emulator` with its arguments; resolves with the exit code once it is stopped. */
export async function emulatorCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'require-auth': { type: 'boolean' },
    scenarios: { type: 'string', multiple: true },
    replay: { type: 'string' },
    list: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${HELP['emulator']}\n`);
    return 0;
  }
  const parsed = Options.safeParse(values);
  if (!parsed.success) throw new CliError('CLI_BAD_OPTION', parsed.error.issues.map((i) => i.message).join('; '));
  const { scenarios, replay, ...listen } = parsed.data;
  if (values.list) {
    let loaded: Scenario[];
    try {
      loaded = loadScenarios(scenarios ?? fixturesPath('converse'));
    } catch (error) {
      throw new CliError('EMULATOR_SCENARIOS', (error as Error).message);
    }
    process.stdout.write(`${listing(loaded)}\n\n${loaded.length} scenarios.\n`);
    return 0;
  }
  const emulator = await startEmulator({
    ...listen,
    requireAuth: values['require-auth'] ?? false,
    ...(scenarios && { scenarios }),
    ...(replay && { replay }),
    ...(values.verbose && { onRequest: (entry) => process.stderr.write(`${summaryLine(entry)}\n`) }),
  }).catch((error: unknown) => {
    throw new CliError('EMULATOR_START', (error as Error).message);
  });
  const playing = replay ? `replaying the recordings in ${replay}` : 'playing scripted scenarios';
  process.stdout.write(
    `Converse emulator listening on ${emulator.url} (HTTP/1.1 and h2c), ${playing}. Ctrl-C stops it.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
  return 0;
}
