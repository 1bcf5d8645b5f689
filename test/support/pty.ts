/**
 * Drives a command in a real pseudo-terminal through util-linux `script` (on every Debian machine), so the chat
 * sees a TTY: raw mode, readline's line editor, bracketed paste, Ctrl-C as a key. Output is collected as it
 * comes; `waitFor` resolves when a pattern appears (in the output with escape codes removed).
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

/** Whether `script` can run here (the tests that need a terminal skip with this reason otherwise). */
export function ptyUnavailable(): string | undefined {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'util-linux "script" is not installed (apt-get install bsdutils)';
  }
}

/** A command running in a pseudo-terminal. */
export interface Pty {
  /** Everything printed so far, escape codes included. */
  readonly raw: string;
  /** Everything printed so far, escape codes removed. */
  readonly text: string;
  write(keys: string): void;
  /** Waits until `pattern` matches the text printed after `from` (an offset into `text`). */
  waitFor(pattern: RegExp | string, from?: number): Promise<void>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  kill(): void;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Starts `argv` in a 120×40 terminal with `env`. */
export function startPty(argv: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): Pty {
  const command = `stty cols 120 rows 40; exec ${argv.map(quote).join(' ')}`;
  const child: ChildProcessWithoutNullStreams = spawn('script', ['-qfec', command, '/dev/null'], {
    env: options.env,
    ...(options.cwd && { cwd: options.cwd }),
  });
  let raw = '';
  const waiters: (() => void)[] = [];
  const onData = (chunk: Buffer): void => {
    raw += chunk.toString('utf8');
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const pty: Pty = {
    get raw() {
      return raw;
    },
    get text() {
      return stripVTControlCharacters(raw);
    },
    write: (keys) => {
      child.stdin.write(keys);
    },
    waitFor: (pattern, from = 0) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          const seen = pty.text.slice(from);
          if (typeof pattern === 'string' ? seen.includes(pattern) : pattern.test(seen)) resolve();
          else if (child.exitCode !== null) reject(new Error(`exited before ${pattern}:\n${pty.text}`));
          else waiters.push(check);
        };
        check();
      }),
    exited,
    kill: () => child.kill('SIGKILL'),
  };
  return pty;
}

/** Types `keys`, then waits for `expect` and for the prompt (`you › ` by default) after the output seen so far. */
export async function turn(
  pty: Pty,
  keys: string,
  expect: RegExp | string,
  prompt: RegExp = /you › $/,
): Promise<string> {
  const from = pty.text.length;
  pty.write(keys);
  await pty.waitFor(expect, from);
  await pty.waitFor(prompt, from);
  return pty.text.slice(from);
}
