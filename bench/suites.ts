/** The benchmark suites `npm run bench` runs, in order. Add a suite by importing it and listing it here. */
import type { BenchSuite } from './harness.js';

export const suites: BenchSuite[] = [];
