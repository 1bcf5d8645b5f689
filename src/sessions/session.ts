/** A saved conversation and its (de)serialisation: binary blocks round-trip as base64, and loads are validated. */
import { z } from 'zod';
import type { Message, TurnUsage } from '../../bridge/index.js';

export interface Session {
  name: string;
  modelId: string;
  messages: Message[];
  usage: TurnUsage;
  createdAt?: string;
  updatedAt?: string;
}

export const SessionName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'session name: expected 1-64 letters, digits, ".", "_" or "-"');

const Usage = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  totalTokens: z.number(),
  cacheReadInputTokens: z.number(),
  cacheWriteInputTokens: z.number(),
  latencyMs: z.number(),
});
const Stored = z.object({
  modelId: z.string(),
  messages: z.array(
    z.object({ role: z.enum(['user', 'assistant']), content: z.array(z.record(z.string(), z.unknown())).min(1) }),
  ),
  usage: Usage,
});

export class SessionError extends Error {
  constructor(
    readonly code: 'SESSION_CORRUPT' | 'SESSION_BAD_NAME' | 'SESSION_STORE_FAILED',
    message: string,
  ) {
    super(message);
  }
}

export function serialize(session: Session): string {
  return JSON.stringify(
    { modelId: session.modelId, messages: session.messages, usage: session.usage },
    (_key, value: unknown) =>
      value instanceof Uint8Array
        ? { $bytes: Buffer.from(value).toString('base64') }
        : // PostgreSQL's JSONB cannot hold \u0000 in a string: such strings are stored encoded, and restored on load.
          typeof value === 'string' && value.includes('\u0000')
          ? { $nul: Buffer.from(value).toString('base64') }
          : value,
  );
}

export function deserialize(name: string, text: string): Omit<Session, 'name'> {
  let raw: unknown;
  try {
    raw = JSON.parse(text, (_key, value: unknown) =>
      value && typeof value === 'object' && '$bytes' in value
        ? new Uint8Array(Buffer.from(String((value as { $bytes: string }).$bytes), 'base64'))
        : value && typeof value === 'object' && '$nul' in value
          ? Buffer.from(String((value as { $nul: string }).$nul), 'base64').toString('utf8')
          : value,
    );
  } catch (error) {
    throw new SessionError(
      'SESSION_CORRUPT',
      `session "${name}" is not valid JSON (${(error as Error).message}); ` +
        `delete it with "mcp-bedrock sessions delete ${name}"`,
    );
  }
  const parsed = Stored.safeParse(raw);
  if (!parsed.success) {
    throw new SessionError(
      'SESSION_CORRUPT',
      `session "${name}" is damaged ` +
        `at ${parsed.error.issues[0]?.path.join('.') ?? '?'}: ${parsed.error.issues[0]?.message ?? ''}`,
    );
  }
  return parsed.data as unknown as Omit<Session, 'name'>;
}

export function checkName(name: string): string {
  const parsed = SessionName.safeParse(name);
  if (!parsed.success)
    throw new SessionError('SESSION_BAD_NAME', parsed.error.issues[0]?.message ?? 'bad session name');
  return name;
}

export interface SessionSummary {
  name: string;
  modelId: string;
  messages: number;
  updatedAt: string;
}

export interface SessionStore {
  list(): Promise<SessionSummary[]>;
  load(name: string): Promise<Session | undefined>;
  /** Replaces the whole session atomically: a crash mid-save leaves the previous version. */
  save(session: Session): Promise<void>;
  delete(name: string): Promise<boolean>;
  close(): Promise<void>;
  /** Where the sessions live, for messages. */
  readonly location: string;
}
