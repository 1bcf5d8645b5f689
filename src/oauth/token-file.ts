/**
 * Where the CLI keeps OAuth state (docs/remote-servers.md, "The CLI's sign-in"): one file per MCP server under
 * `<data dir>/oauth/`, named for the server and a digest of its URL (two configs with a server of the same name
 * never share tokens), holding the bridge's per-issuer `OAuthState` and the loopback redirect URI the client was
 * registered with. The folder is 0700 and each file 0600; a file is replaced whole (written aside, renamed).
 */
import { createHash, randomInt } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OAuthState, OAuthStore } from '../../bridge/index.js';
import { CliError } from '../cli/cli-error.js';
import { dataDir } from '../data-dir.js';

/** What one token file holds. */
export interface TokenFile {
  server: string;
  url: string;
  /** The loopback redirect URI this client uses (kept so a registered client keeps matching). */
  redirectUri: string;
  state: OAuthState;
}

/** The folder of the token files, e.g. `~/.local/share/mcp-bedrock/oauth`. */
export function tokenDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'oauth');
}

/** The token file of the server `name` at `url`. */
export function tokenFilePath(dir: string, name: string, url: string): string {
  const digest = createHash('sha256').update(url).digest('hex').slice(0, 12);
  return join(dir, `${name.replace(/[^\w.-]/g, '_')}-${digest}.json`);
}

/** Reads a token file; undefined when there is none. */
export function readTokenFile(path: string): TokenFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const file = JSON.parse(text) as TokenFile;
    if (typeof file.redirectUri !== 'string' || typeof file.state !== 'object') throw new Error('not a token file');
    return file;
  } catch {
    throw new CliError(
      'OAUTH_TOKEN_FILE_INVALID',
      `${path} is not a token file of mcp-bedrock (delete it, or run "mcp-bedrock auth logout")`,
      1,
    );
  }
}

/** Writes `file` at `path` with mode 0600, in a folder of mode 0700. */
export function writeTokenFile(path: string, file: TokenFile): void {
  const dir = join(path, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(aside, 0o600);
  renameSync(aside, path);
}

/** Deletes a token file; whether there was one. */
export function removeTokenFile(path: string): boolean {
  const existed = existsSync(path);
  rmSync(path, { force: true });
  return existed;
}

/**
 * A loopback redirect URI on a port from the dynamic range (RFC 8252 §7.3: authorization servers accept any
 * port on a loopback redirect; keeping one per server keeps strict ones happy too).
 */
function newRedirectUri(): string {
  return `http://127.0.0.1:${randomInt(49152, 65536)}/callback`;
}

/** An `OAuthStore` on the token file of server `name` at `url`, and the redirect URI it keeps. */
export function tokenFileStore(path: string, name: string, url: string): OAuthStore & { redirectUri(): string } {
  let redirectUri: string | undefined;
  const current = (): TokenFile | undefined => readTokenFile(path);
  const uri = (): string => {
    redirectUri ??= current()?.redirectUri ?? newRedirectUri();
    return redirectUri;
  };
  return {
    load: () => current()?.state,
    save: (state) => writeTokenFile(path, { server: name, url, redirectUri: uri(), state }),
    redirectUri: uri,
  };
}
