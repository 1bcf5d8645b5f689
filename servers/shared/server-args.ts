/** Command-line options every bundled server understands, validated with zod. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';

const common = z.object({
  transport: z.enum(['stdio', 'http'], { error: '--transport expects "stdio" or "http"' }).default('stdio'),
  port: z.coerce
    .number({ error: '--port expects a number' })
    .int()
    .min(0)
    .max(65535, '--port expects 0-65535')
    .optional(),
  host: z.string().min(1).default('127.0.0.1'),
});

export type CommonArgs = z.infer<typeof common>;

export interface ParsedServerArgs {
  common: CommonArgs;
  /** Server-specific string options, e.g. `--db`. */
  extra: Record<string, string | undefined>;
}

/** Parses argv; throws an Error whose message names the bad option and what was expected. */
export function parseServerArgs(argv: readonly string[], extraOptions: readonly string[] = []): ParsedServerArgs {
  const options: ParseArgsConfig['options'] = {
    transport: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const name of extraOptions) options[name] = { type: 'string' };
  const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  const parsed = common.safeParse(values);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  const extra: Record<string, string | undefined> = {};
  for (const name of extraOptions) extra[name] = values[name] as string | undefined;
  return { common: parsed.data, extra };
}
