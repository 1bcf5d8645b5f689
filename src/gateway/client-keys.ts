/**
 * The gateway's client keys, read from a file (`gateway --keys FILE`) rather than the command line, where every
 * local user could read them in `ps`. JSON, validated strictly:
 * `{"apiKeys": ["<Bedrock API key>", ...], "accessKeys": [{"accessKeyId": "...", "secretAccessKey": "..."}]}`.
 */
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import type { ClientKeys } from './client-auth.js';

/** A key file that cannot be read or does not hold what it should; the message names the file and field. */
export class KeysFileError extends Error {
  readonly code = 'GATEWAY_KEYS_INVALID';
}

const KeysFile = z
  .strictObject({
    apiKeys: z.array(z.string().min(16, 'expected a key of at least 16 characters')).optional(),
    accessKeys: z
      .array(
        z.strictObject({
          accessKeyId: z.string().regex(/^[A-Za-z0-9]{16,128}$/, 'expected an access key id (16-128 letters/digits)'),
          secretAccessKey: z.string().min(16, 'expected a secret of at least 16 characters'),
        }),
      )
      .optional(),
  })
  .refine((k) => (k.apiKeys?.length ?? 0) + (k.accessKeys?.length ?? 0) > 0, 'expected at least one key');

/**
 * Loads a key file. `onWarning` hears when the file is readable by other users (the keys spend the gateway's
 * Bedrock credentials).
 */
export async function loadClientKeys(path: string, onWarning?: (message: string) => void): Promise<ClientKeys> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
    if (((await stat(path)).mode & 0o077) !== 0)
      onWarning?.(`${path} is readable by other users: chmod 600 it, the keys in it spend your Bedrock credentials`);
  } catch (error) {
    throw new KeysFileError(`${path}: cannot read the key file (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KeysFileError(`${path}: invalid JSON (${(error as Error).message})`);
  }
  const parsed = KeysFile.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `${i.path.length > 0 ? `"${i.path.join('.')}"` : 'file'}: ${i.message}`,
    );
    throw new KeysFileError(`${path}: ${issues.join('; ')}`);
  }
  return parsed.data;
}
