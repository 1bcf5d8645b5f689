/** Helpers for tests that start servers and CLIs: process liveness, a closed port, the shared fixtures. */
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

/** server-everything's stdio entry. */
export { EVERYTHING_ENTRY as EVERYTHING } from './server-everything.js';

/** The compiled CLI. */
export const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

/** Whether a process with this id still runs. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as AddressInfo;
  await new Promise((resolve) => listener.close(resolve));
  return port;
}

/** The emulator with the CLI tests' extra scenarios (test/cli/scenarios) before the standard ones. */
export function scenarioEmulator(): Promise<Emulator> {
  return startEmulator({
    port: 0,
    scenarios: [join(process.cwd(), 'test', 'cli', 'scenarios'), join(process.cwd(), 'fixtures', 'converse')],
  });
}
