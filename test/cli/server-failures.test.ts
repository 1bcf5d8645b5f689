/**
 * `run` and `tools` with MCP servers that fail in each way real ones do: an unreachable HTTP server, a command
 * that is not an MCP server, one that hangs in initialize, one that crashes mid-call. Each command exits (the
 * connect timeout bounds it) with a clear message and the server's last stderr lines, and no server process
 * outlives it (checked by pid).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { alive, CLI, closedPort, scenarioEmulator } from '../support/processes.js';

const FIXTURE = join(process.cwd(), 'fixtures', 'mcp-tools', 'misbehaving-server.mjs');
let emulator: Emulator;

beforeAll(async () => {
  emulator = await scenarioEmulator();
});
afterAll(() => emulator?.close());

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  pids: number[];
}

/** Runs the CLI with one server entry; `pids` are the fixture processes it started. */
async function withServer(entry: object, args: string[]): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'server-failure-'));
  const config = join(dir, 'mcp.json');
  const withPidDir = 'command' in entry ? { ...entry, env: { PID_DIR: dir } } : entry;
  writeFileSync(config, JSON.stringify({ mcpServers: { broken: withPidDir } }));
  const child = spawn(process.execPath, [CLI, ...args, '-c', config, '--connect-timeout', '1500'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, XDG_DATA_HOME: join(dir, 'data'), PID_DIR: dir },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  let pids: number[] = [];
  try {
    pids = readFileSync(join(dir, 'pids'), 'utf8').trim().split('\n').filter(Boolean).map(Number);
  } catch {
    // The server never started (an HTTP entry).
  }
  return { code, stdout, stderr, pids };
}

const fixture = (mode: string) => ({ command: process.execPath, args: [FIXTURE, mode] });

describe('run and tools with failing MCP servers', () => {
  // What happened, and the server's last stderr line shown with it (an HTTP server has none).
  const cases: [string, () => Promise<object>, RegExp, string?][] = [
    [
      'an unreachable HTTP server',
      async () => ({ type: 'http', url: `http://127.0.0.1:${await closedPort()}/mcp` }),
      /cannot reach http:\/\/127\.0\.0\.1:\d+\/mcp: connect ECONNREFUSED/,
    ],
    [
      'a command that is not an MCP server',
      async () => fixture('noise'),
      /it wrote "hello, I am not an MCP server" on stdout/,
      'warning: no config file, using defaults',
    ],
    [
      'a server that hangs in initialize',
      async () => fixture('hang'),
      /did not finish starting .* within 1\.5 s; its process was stopped/,
      'waiting for the database at db.internal:5432',
    ],
    [
      'a server that exits while starting',
      async () => fixture('crash-start'),
      /exited with code 1 before it finished starting \(stderr: boom: missing API key\)/,
      'boom: missing API key',
    ],
  ];
  for (const [what, entry, message, lastLine] of cases) {
    it(`tools and run exit with the reason and stderr of ${what}, and leave no process behind`, async () => {
      const server = await entry();
      const tools = await withServer(server, ['tools']);
      expect(tools.code).toBe(1);
      expect(tools.stdout).toMatch(/^broken: failed — /m);
      expect(tools.stdout).toMatch(message);
      const run = await withServer(server, ['run', '--endpoint', emulator.url, 'What is the top song on WZPZ?']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain('no MCP server could be started');
      if (lastLine) {
        expect(tools.stdout).toContain(`(stderr: ${lastLine})`);
        expect(tools.stdout).toContain(`    ${lastLine}`);
        expect(run.stderr).toContain(`    ${lastLine}`);
      }
      for (const pid of [...tools.pids, ...run.pids]) expect(alive(pid), `pid ${pid}`).toBe(false);
      if ('command' in server) expect(tools.pids.length).toBeGreaterThan(0);
    });
  }

  it('run exits 1 naming a server that crashed during a call the prompt needed, with its stderr', async () => {
    const run = await withServer(fixture('serve'), ['run', '--endpoint', emulator.url, 'crash the server']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('The call failed: Calling crash failed: MCP server "broken" exited with code 3');
    expect(run.stderr).toContain(
      'mcp-bedrock: MCP server "broken" failed during this run: exited with ' +
        'code 3 (stderr: fatal: the database went away)',
    );
    expect(run.stderr).toContain('    fatal: the database went away');
    expect(run.pids.length).toBeGreaterThan(0);
    for (const pid of run.pids) expect(alive(pid)).toBe(false);
  });
});
