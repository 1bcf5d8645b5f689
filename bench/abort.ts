/**
 * How fast an abort stops the loop: a ConverseStream answer arrives slowly (one event every 50 ms) and the caller
 * aborts 30 ms in; measured from `abort()` until `runToolLoop` returns (the bound the loop tests used to assert on
 * the wall clock, which under load is a flaky test, not a measurement).
 */
import { performance } from 'node:perf_hooks';
import { BedrockModelClient, LocalToolset, runToolLoop } from '../bridge/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { stats, type BenchRow } from './harness.js';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const REPETITIONS = 20;

export async function abortRows(): Promise<BenchRow[]> {
  const emulator = await startEmulator({ port: 0, eventDelayMs: 50 });
  const client = new BedrockModelClient({ endpoint: emulator.url, region: 'us-east-1' });
  const durations: number[] = [];
  try {
    for (let i = 0; i < REPETITIONS; i++) {
      const controller = new AbortController();
      let abortedAt = 0;
      setTimeout(() => {
        abortedAt = performance.now();
        controller.abort();
      }, 30);
      const result = await runToolLoop('Tell me a story about order numbers', {
        client,
        modelId: MODEL,
        toolset: new LocalToolset([]),
        signal: controller.signal,
      });
      if (result.stopReason !== 'aborted') throw new Error(`expected an aborted run, got ${result.stopReason}`);
      durations.push(performance.now() - abortedAt);
    }
  } finally {
    await client.close();
    await emulator.close();
  }
  const s = stats(durations);
  return [
    {
      suite: 'loop',
      name: 'abort mid-stream until runToolLoop returns',
      unit: 'ms',
      value: s.median,
      p90: s.p90,
      samples: durations.length,
      target: '< 100 ms',
      ok: s.p90 < 100,
      note: 'one stream event every 50 ms',
    },
  ];
}
