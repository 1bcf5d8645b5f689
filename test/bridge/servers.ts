/** Test setup: the bundled servers over stdio (compiled entries), with a fresh SQLite file for orders. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerConfig } from '../../bridge/index.js';

export function bundledServers(
  names: readonly string[] = ['orders', 'radio', 'expenses', 'utilities'],
): ServerConfig[] {
  const db = join(mkdtempSync(join(tmpdir(), 'bridge-orders-')), 'orders.sqlite');
  return names.map((name) => ({
    name,
    transport: 'stdio',
    command: process.execPath,
    args: [join(process.cwd(), 'dist', 'servers', name, 'main.js'), ...(name === 'orders' ? ['--db', db] : [])],
  }));
}
