/** One line of token usage, for /usage and the end of a run. */
import type { TurnUsage } from '../../../bridge/index.js';

/** "123 input + 45 output tokens (cache read 0, write 0), 20 ms model time". */
export function usageLine(u: TurnUsage): string {
  return (
    `${u.inputTokens} input + ${u.outputTokens} output tokens (cache read ${u.cacheReadInputTokens}, ` +
    `write ${u.cacheWriteInputTokens}), ${Math.round(u.latencyMs)} ms model time`
  );
}
