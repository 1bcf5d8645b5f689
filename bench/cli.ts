/** Scenario 4: the CLI as whole processes — `--help`, and `run --json` of the top_song round trip end to end. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/index.js';
import { packageRoot } from '../src/package-root.js';
import { stats, type BenchRow, type BenchSuite } from './harness.js';

const RUNS = 20;

/** Asynchronous spawns: the emulator answering the CLI runs in this very process and must keep serving. */
async function timeSpawns(args: string[], env: NodeJS.ProcessEnv): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    times.push(performance.now() - start);
    if (code !== 0) throw new Error(`${args.join(' ')} failed: ${stderr}`);
  }
  return times;
}

export const cliSuite: BenchSuite = {
  name: 'cli',
  description: 'CLI cold start as whole processes (median of 20)',
  async run(): Promise<BenchRow[]> {
    const cli = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
    const env = { PATH: process.env['PATH'] ?? '', HOME: mkdtempSync(join(tmpdir(), 'bench-cli-')) };
    const help = stats(await timeSpawns([cli, '--help'], env));
    const emulator = await startEmulator({ port: 0 });
    try {
      const configDir = mkdtempSync(join(tmpdir(), 'bench-cli-config-'));
      const { writeFileSync } = await import('node:fs');
      const config = join(configDir, 'mcp.json');
      writeFileSync(
        config,
        JSON.stringify({
          mcpServers: {
            radio: { command: process.execPath, args: [join(packageRoot(), 'dist', 'servers', 'radio', 'main.js')] },
          },
        }),
      );
      const run = stats(
        await timeSpawns(
          [
            cli,
            'run',
            '--json',
            '--endpoint',
            emulator.url,
            '--config',
            config,
            'What is the most popular song on WZPZ?',
          ],
          env,
        ),
      );
      return [
        {
          suite: 'cli',
          name: '--help',
          unit: 'ms',
          value: help.median,
          p90: help.p90,
          samples: RUNS,
          target: '< 150 ms',
          ok: help.median < 150,
        },
        {
          suite: 'cli',
          name: 'run --json top_song (radio server, emulator)',
          unit: 'ms',
          value: run.median,
          p90: run.p90,
          samples: RUNS,
          target: '< 400 ms',
          ok: run.median < 400,
        },
      ];
    } finally {
      await emulator.close();
    }
  },
};
