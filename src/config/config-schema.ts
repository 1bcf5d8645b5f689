/** The accepted config file shapes: Claude Desktop / Cursor / Claude Code `mcpServers`, VS Code `servers`. */
import { z } from 'zod';

const policy = {
  disabled: z.boolean().optional(),
  tools: z
    .object(
      { allow: z.array(z.string()).optional(), deny: z.array(z.string()).optional() },
      { error: 'expected {"allow": [...], "deny": [...]}' },
    )
    .optional(),
  codeMode: z.boolean({ error: 'expected true or false' }).optional(),
  sampling: z.boolean({ error: 'expected true or false' }).optional(),
  approval: z
    .enum(['always', 'never', 'destructive'], { error: 'expected "always", "never" or "destructive"' })
    .optional(),
};

export const StdioEntry = z.object({
  type: z.literal('stdio').optional(),
  command: z.string({ error: 'expected the command to run, as a string' }).min(1, 'expected the command to run'),
  args: z.array(z.string(), { error: 'expected an array of strings' }).optional(),
  env: z.record(z.string(), z.string(), { error: 'expected an object of string values' }).optional(),
  cwd: z.string().optional(),
  ...policy,
});

export const HttpEntry = z.object({
  type: z
    .enum(['http', 'sse', 'streamable-http', 'streamableHttp'], { error: 'expected "stdio", "http" or "sse"' })
    .optional(),
  url: z.url({ error: 'expected an http(s) URL' }),
  headers: z.record(z.string(), z.string(), { error: 'expected an object of string values' }).optional(),
  ...policy,
});

export const ConfigFile = z.union(
  [
    z.object({ mcpServers: z.record(z.string(), z.unknown()) }).loose(),
    z.object({ servers: z.record(z.string(), z.unknown()) }).loose(),
  ],
  { error: 'expected an object with "mcpServers" (Claude Desktop, Cursor, .mcp.json) or "servers" (VS Code)' },
);
