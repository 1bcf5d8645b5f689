/**
 * The benchmark suites `npm run bench` runs, in order (memory first, before other suites grow the heap). Add a suite by
 * importing it and listing it here.
 */
import { anthropicSuite } from './anthropic.js';
import { catalogSuite } from './catalog.js';
import { cliSuite } from './cli.js';
import { emulatorSuite } from './emulator.js';
import { gatewaySuite } from './gateway.js';
import type { BenchSuite } from './harness.js';
import { loopSuite } from './loop.js';
import { memorySuite } from './memory.js';
import { sandboxSuite } from './sandbox.js';
import { scaleSuite } from './scale.js';
import { schemaSuite } from './schema.js';
import { tokensSuite } from './tokens.js';

export const suites: BenchSuite[] = [
  memorySuite,
  emulatorSuite,
  loopSuite,
  catalogSuite,
  schemaSuite,
  cliSuite,
  sandboxSuite,
  gatewaySuite,
  anthropicSuite,
  scaleSuite,
  tokensSuite,
];
