/**
 * Benchmark harness: suites return rows; main.ts prints them as one table and writes JSON with machine facts.
 * Timings are figures for humans and regressions, never assertions in tests.
 */
import { performance } from 'node:perf_hooks';

export interface BenchRow {
  /** Suite name, e.g. `emulator`. */
  suite: string;
  /** What was measured, e.g. `converse, 16 clients`. */
  name: string;
  /** Unit of `value`, `p90` and `floor`: `ms`, `req/s`, `events/s`, `MB`, `tokens`, … */
  unit: string;
  /** Headline figure: the median for timings, the total for counts. */
  value: number;
  p90?: number;
  /** Number of measured repetitions behind `value`. */
  samples?: number;
  /** The same figure for the hand-written floor, when the row compares against one. */
  floor?: number;
  /** Human-readable target, e.g. `≤ 1 ms over floor`. */
  target?: string;
  /** Whether the target holds on this run. */
  ok?: boolean;
  note?: string;
}

export interface BenchSuite {
  name: string;
  description: string;
  run(): Promise<BenchRow[]>;
}

export interface Stats {
  median: number;
  p90: number;
  mean: number;
  min: number;
  max: number;
}

export function stats(values: readonly number[]): Stats {
  if (values.length === 0) throw new Error('stats() needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { median: at(0.5), p90: at(0.9), mean, min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
}

/** Runs `fn` `warmup` times unmeasured, then `repetitions` times, returning each duration in milliseconds. */
export async function timeRepeated(
  fn: () => Promise<unknown>,
  { warmup = 5, repetitions = 30 }: { warmup?: number; repetitions?: number } = {},
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const durations: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const start = performance.now();
    await fn();
    durations.push(performance.now() - start);
  }
  return durations;
}

/**
 * A row comparing a measured timing against the floor's timing of the same work. The two series are paired
 * (repetition i of each ran back to back), so overhead and ratio are the medians of the per-pair differences
 * and ratios: a noisy neighbour slows both halves of a pair and cancels out, where it would skew two
 * independent medians.
 */
export function overheadRow(
  suite: string,
  name: string,
  measured: readonly number[],
  floor: readonly number[],
  target?: { maxOverheadMs?: number; maxRatio?: number; text: string },
): BenchRow {
  if (measured.length !== floor.length) throw new Error('overheadRow() needs paired series of equal length');
  const m = stats(measured);
  const f = stats(floor);
  const overhead = stats(measured.map((v, i) => v - (floor[i] as number))).median;
  const ratio = stats(measured.map((v, i) => v / (floor[i] as number))).median;
  const ok =
    target === undefined
      ? undefined
      : (target.maxOverheadMs === undefined || overhead <= target.maxOverheadMs) &&
        (target.maxRatio === undefined || ratio <= target.maxRatio);
  return {
    suite,
    name,
    unit: 'ms',
    value: m.median,
    p90: m.p90,
    samples: measured.length,
    floor: f.median,
    ...(target ? { target: target.text, ok } : {}),
    note: `overhead ${overhead.toFixed(2)} ms, ratio ${ratio.toFixed(3)} (medians of paired runs)`,
  };
}
