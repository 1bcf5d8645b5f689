/** Opens a web page in the user's browser: `$BROWSER` when set, else the platform's opener. */
import { spawn } from 'node:child_process';

/** Starts the browser on `url` (http or https only); resolves `false` when no browser could be started. */
export function openUrl(url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (protocol !== 'https:' && protocol !== 'http:') return Promise.resolve(false);
  const browser = env['BROWSER'];
  const [command, ...args] = browser
    ? [browser]
    : process.platform === 'darwin'
      ? ['open']
      : process.platform === 'win32'
        ? ['rundll32', 'url.dll,FileProtocolHandler']
        : ['xdg-open'];
  return new Promise((resolve) => {
    const child = spawn(command as string, [...args, url], { stdio: 'ignore', detached: true, env });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
