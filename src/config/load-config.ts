/**
 * Loads an MCP host config file (JSON with comments), validates it with zod and resolves variables. Every error
 * names the file, the server and the field; env and header values never appear in messages.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import type { ServerConfig } from '../../bridge/index.js';
import { ConfigFile, HttpEntry, StdioEntry } from './config-schema.js';
import { interpolate, InterpolationError } from './interpolate.js';

export interface ServerPolicy {
  allow?: string[];
  deny?: string[];
  approval: 'always' | 'never' | 'destructive';
  /** Offer this server's tools through `execute_code`. */
  codeMode?: boolean;
  /** Let this server ask the model for completions (MCP sampling); off unless the config says so. */
  sampling?: boolean;
}

export type ConfiguredServer = ServerConfig & { policy: ServerPolicy };

export interface BridgeConfig {
  /** Enabled servers only. */
  servers: ConfiguredServer[];
  file?: string;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? `"${i.path.join('.')}"` : 'entry'}: ${i.message}`).join('; ');
}

export async function loadConfig(
  path: string,
  options: { env: NodeJS.ProcessEnv; cwd: string },
): Promise<BridgeConfig> {
  const file = resolve(options.cwd, path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${file}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  const errors: ParseError[] = [];
  const json = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  const first = errors[0];
  if (first)
    throw new ConfigError(
      `${file}:${lineColumn(text, first.offset)}: invalid JSON (${printParseErrorCode(first.error)})`,
    );
  const top = ConfigFile.safeParse(json);
  if (!top.success) throw new ConfigError(`${file}: ${top.error.issues[0]?.message ?? 'invalid config'}`);
  const entries = 'mcpServers' in top.data ? top.data.mcpServers : top.data.servers;
  const workspace = dirname(dirname(file));
  const servers: ConfiguredServer[] = [];
  for (const [name, raw] of Object.entries(entries as Record<string, unknown>)) {
    const where = `${file}: server "${name}"`;
    const isHttp = typeof raw === 'object' && raw !== null && 'url' in raw;
    const parsed = (isHttp ? HttpEntry : StdioEntry).safeParse(raw);
    if (!parsed.success) throw new ConfigError(`${where}: ${issues(parsed.error)}`);
    const entry = parsed.data;
    if (entry.disabled) continue;
    const field = (label: string, value: string): string => {
      try {
        return interpolate(value, options.env, workspace);
      } catch (error) {
        if (error instanceof InterpolationError) throw new ConfigError(`${where}: "${label}": ${error.message}`);
        throw error;
      }
    };
    const mapValues = (label: string, record: Record<string, string> | undefined): Record<string, string> =>
      Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, field(`${label}.${k}`, v)]));
    const policy: ServerPolicy = {
      approval: entry.approval ?? 'destructive',
      ...(entry.codeMode && { codeMode: true }),
      ...(entry.sampling && { sampling: true }),
      ...(entry.tools?.allow && { allow: entry.tools.allow }),
      ...(entry.tools?.deny && { deny: entry.tools.deny }),
    };
    if ('url' in entry) {
      const transport = entry.type === 'sse' ? 'sse' : 'http';
      servers.push({
        name,
        transport,
        url: field('url', entry.url),
        headers: mapValues('headers', entry.headers),
        policy,
      });
    } else {
      servers.push({
        name,
        transport: 'stdio',
        command: field('command', entry.command),
        args: (entry.args ?? []).map((a, i) => field(`args.${i}`, a)),
        env: mapValues('env', entry.env),
        ...(entry.cwd !== undefined && { cwd: field('cwd', entry.cwd) }),
        policy,
      });
    }
  }
  return { servers, file };
}

/** The servers without secrets: env and header keys only. */
export function redactedSummary(config: BridgeConfig): string[] {
  return config.servers.map((s) =>
    s.transport === 'stdio'
      ? `${s.name}: ${s.command} ${(s.args ?? []).join(' ')}${Object.keys(s.env ?? {}).length > 0 ? ` (env: ${Object.keys(s.env ?? {}).join(', ')})` : ''}`
      : `${s.name}: ${s.url}${Object.keys(s.headers ?? {}).length > 0 ? ` (headers: ${Object.keys(s.headers ?? {}).join(', ')})` : ''}`,
  );
}
