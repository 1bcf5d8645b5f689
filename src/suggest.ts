/** "Did you mean …?" for mistyped options, config keys and chat commands. */
import { distance } from 'fastest-levenshtein';

/** The candidate closest to `input` when it is close enough to be a typo. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = distance(input.toLowerCase(), candidate.toLowerCase());
    if (!best || score < best.score) best = { candidate, score };
  }
  if (!best) return undefined;
  // Two edits cover a swapped pair of letters ("modle"); short words allow only one.
  const allowed = input.length < 4 ? 1 : Math.max(2, Math.floor(Math.max(input.length, best.candidate.length) / 3));
  return best.score <= allowed ? best.candidate : undefined;
}

/** ` (did you mean "x"?)`, or nothing. */
export function didYouMean(input: string, candidates: readonly string[], quote = '"'): string {
  const match = closest(input, candidates);
  return match === undefined ? '' : ` (did you mean ${quote}${match}${quote}?)`;
}
