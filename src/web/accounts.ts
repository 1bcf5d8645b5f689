/**
 * Web chat accounts beyond loopback: a JSON file of users with Argon2id password hashes (`@node-rs/argon2`, the
 * OWASP parameters it defaults to) and a role each. `mcp-bedrock web users add NAME` writes it; the server only
 * reads it, at start.
 */
import { loadOptional } from '../optional-dependency.js';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { Role } from './api-types.js';
import { WebError } from './web-error.js';

/** User names: lower-case letters, digits, `_` and `-` (no dots: a user's conversations are `<user>.<id>`). */
export const UserName = z
  .string()
  .regex(/^[a-z0-9_-]{1,32}$/, 'a user name is 1-32 lower-case letters, digits, "_" or "-"');

const AccountsFile = z
  .object({
    users: z.record(
      UserName,
      z
        .object({
          passwordHash: z.string().startsWith('$argon2', 'passwordHash: expected an Argon2 hash'),
          role: z.enum(['customer', 'operator']).default('customer'),
        })
        .strict(),
    ),
  })
  .strict();
type AccountsFile = z.infer<typeof AccountsFile>;

// Loaded on first use: a loopback server never pays for the native module.
const argon2 = () => loadOptional('@node-rs/argon2', 'Web chat accounts', () => import('@node-rs/argon2'));

function read(path: string): AccountsFile {
  if (!existsSync(path)) return { users: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new WebError('WEB_CONFIG', 500, `${path}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = AccountsFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WebError('WEB_CONFIG', 500, `${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Replaces the file in one rename, readable by its owner only (it holds password hashes). */
function write(path: string, file: AccountsFile): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** The accounts of one file, checked when loaded. */
export class Accounts {
  private constructor(
    private readonly file: AccountsFile,
    /** Verified against when the user does not exist, so a missing user costs the same time as a wrong password. */
    private readonly decoy: string,
  ) {}

  static async load(path: string): Promise<Accounts> {
    const file = read(path);
    if (Object.keys(file.users).length === 0) {
      throw new WebError(
        'WEB_CONFIG',
        500,
        `${path} has no users: add one with "mcp-bedrock web users add NAME --accounts ${path}"`,
      );
    }
    return new Accounts(file, await (await argon2()).hash('decoy password, never valid'));
  }

  /** The user's role when the password is right. */
  async verify(user: string, password: string): Promise<Role | undefined> {
    const { verify } = await argon2();
    const account = Object.hasOwn(this.file.users, user) ? this.file.users[user] : undefined;
    const ok = await verify(account?.passwordHash ?? this.decoy, password).catch(() => false);
    return account && ok ? account.role : undefined;
  }
}

/** Adds or replaces a user in an accounts file. */
export async function setAccount(path: string, user: string, password: string, role: Role): Promise<void> {
  const name = UserName.safeParse(user);
  if (!name.success) throw new WebError('WEB_BAD_REQUEST', 400, name.error.issues[0]?.message ?? 'bad user name');
  if (password.length < 12) throw new WebError('WEB_BAD_REQUEST', 400, 'a password needs at least 12 characters');
  const file = read(path);
  file.users[user] = { passwordHash: await (await argon2()).hash(password), role };
  write(path, file);
}

/** Removes a user; false when there was none. */
export function removeAccount(path: string, user: string): boolean {
  const file = read(path);
  if (!Object.hasOwn(file.users, user)) return false;
  delete file.users[user];
  write(path, file);
  return true;
}

/** The users of a file and their roles. */
export function listAccounts(path: string): { user: string; role: Role }[] {
  return Object.entries(read(path).users).map(([user, a]) => ({ user, role: a.role }));
}
