/** `mcp-bedrock emulator`: the offline Converse service in the foreground. */
import { z } from 'zod';
import { startEmulator } from '../../emulator/index.js';
import { CliError } from '../cli-error.js';
import { HELP } from '../help.js';
import { parseCommandLine } from '../options.js';

const Options = z.object({
  port: z.coerce
    .number({ error: '--port expects a number' })
    .int()
    .min(0)
    .max(65535, '--port expects 0-65535')
    .default(8787),
  host: z.string().default('127.0.0.1'),
});

export async function emulatorCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'require-auth': { type: 'boolean' },
    scenarios: { type: 'string' },
    replay: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${HELP['emulator']}\n`);
    return 0;
  }
  const parsed = Options.safeParse(values);
  if (!parsed.success) throw new CliError('CLI_BAD_OPTION', parsed.error.issues.map((i) => i.message).join('; '));
  const emulator = await startEmulator({
    ...parsed.data,
    requireAuth: values['require-auth'] ?? false,
    ...(values.scenarios && { scenariosDir: values.scenarios }),
    ...(values.replay && { replay: values.replay }),
  }).catch((error: unknown) => {
    throw new CliError('EMULATOR_START', (error as Error).message);
  });
  process.stdout.write(`Converse emulator listening on ${emulator.url} (HTTP/1.1 and h2c). Ctrl-C stops it.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
  return 0;
}
