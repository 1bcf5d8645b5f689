/** Scenario 5: resident memory after 1 000 turns of one conversation and with 100 concurrent conversations. */
import { join } from 'node:path';
import { BedrockModelClient, Conversation, HubToolset, McpHub } from '../bridge/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { packageRoot } from '../src/package-root.js';
import type { BenchRow, BenchSuite } from './harness.js';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const rssMb = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};
/** Live heap after a full GC: what the process really holds, unlike RSS, which V8 returns to the OS lazily. */
const heapMb = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

export const memorySuite: BenchSuite = {
  name: 'memory',
  description: 'RSS after 1000 turns of one conversation and with 100 concurrent conversations',
  async run(): Promise<BenchRow[]> {
    // No request log: it would keep copies of the long history and count them against the bridge.
    const emulator = await startEmulator({ port: 0, logSize: 0 });
    const hub = new McpHub([
      {
        name: 'radio',
        transport: 'stdio',
        command: process.execPath,
        args: [join(packageRoot(), 'dist', 'servers', 'radio', 'main.js')],
      },
    ]);
    await hub.start();
    const toolset = new HubToolset(hub);
    const client = new BedrockModelClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
    });
    try {
      const baseline = rssMb();
      // A short conversation first, so that compiled code and the SDK's lazy state are not counted as growth.
      const warmup = new Conversation({ client, modelId: MODEL, toolset });
      for (let i = 0; i < 10; i++) await warmup.send('What is the most popular song on WZPZ?');
      const heapBefore = heapMb();
      const long = new Conversation({ client, modelId: MODEL, toolset });
      let turns = 0;
      while (turns < 1000) turns += (await long.send('What is the most popular song on WZPZ?')).turns.length;
      const historyMb = Buffer.byteLength(JSON.stringify(long.messages)) / 2 ** 20;
      const afterLong = rssMb();
      const heapAfter = heapMb();
      const many = Array.from({ length: 100 }, () => new Conversation({ client, modelId: MODEL, toolset }));
      await Promise.all(many.map((c) => c.send('What is the most popular song on WZPZ?')));
      const afterMany = rssMb();
      return [
        { suite: 'memory', name: 'RSS before (emulator + bridge in one process)', unit: 'MB', value: baseline },
        {
          suite: 'memory',
          name: `RSS after ${turns} turns of one conversation`,
          unit: 'MB',
          value: afterLong,
          note:
            `live heap ${heapBefore.toFixed(1)} → ${heapAfter.toFixed(1)} MB after a ` +
            `warm-up; history itself ${historyMb.toFixed(1)} MB as JSON`,
        },
        {
          suite: 'memory',
          name: 'RSS with 100 concurrent conversations',
          unit: 'MB',
          value: afterMany,
          target: '< 150 MB',
          ok: afterMany < 150,
        },
      ];
    } finally {
      await hub.close();
      await emulator.close();
    }
  },
};
