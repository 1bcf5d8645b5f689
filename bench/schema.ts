/**
 * Schema compile on generated schemas (bench/schema-arbitrary.ts, the property test's generator, fixed seed): the
 * slowest single compile per schema-rules family (each schema timed as its fastest of three compiles), against the
 * 50 ms a hostile schema may cost at most (docs/schema-translation.md). Tests assert only that compile has an outcome;
 * the time lives here.
 */
import fc from 'fast-check';
import { capabilitiesFor, compileSchema } from '../bridge/entries/converse.js';
import { stats, type BenchRow, type BenchSuite } from './harness.js';
import { hostileSchemas, schemaArbitrary } from './schema-arbitrary.js';

const COUNT = 5_000;
const SEED = 152_026;
const FAMILIES: [string, string][] = [
  ['Claude', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
  ['Nova', 'us.amazon.nova-pro-v1:0'],
  ['others', 'us.meta.llama3-1-70b-instruct-v1:0'],
];

/** The `schema` bench suite (`npm run bench -- --only schema`). */
export const schemaSuite: BenchSuite = {
  name: 'schema',
  description: `compile ${COUNT} generated schemas per family: the slowest one`,
  async run(): Promise<BenchRow[]> {
    const schemas = fc.sample(schemaArbitrary, { numRuns: COUNT, seed: SEED });
    const claude = capabilitiesFor(FAMILIES[0]?.[1] ?? '').schemaRules;
    const hostile = Object.entries(hostileSchemas()).map(([what, schema]): BenchRow => {
      const start = performance.now();
      compileSchema(schema, claude);
      const ms = performance.now() - start;
      return {
        suite: 'schema',
        name: `compile ${what} (Claude)`,
        unit: 'ms',
        value: ms,
        target: '≤ 50 ms',
        ok: ms <= 50,
      };
    });
    const generated = FAMILIES.map(([family, modelId]): BenchRow => {
      const rules = capabilitiesFor(modelId).schemaRules;
      // Each schema's own cost: the fastest of three compiles, so a GC pause or a busy core is not charged to it.
      const times = schemas.map((schema) => {
        let best = Number.POSITIVE_INFINITY;
        for (let i = 0; i < 3; i++) {
          const start = performance.now();
          compileSchema(schema, rules);
          best = Math.min(best, performance.now() - start);
        }
        return best;
      });
      const { max, median, p90 } = stats(times);
      return {
        suite: 'schema',
        name: `slowest of ${COUNT} generated schemas (${family})`,
        unit: 'ms',
        value: max,
        p90,
        samples: times.length,
        target: '≤ 50 ms',
        ok: max <= 50,
        note: `median ${median.toFixed(3)} ms; seed ${SEED}`,
      };
    });
    return [...generated, ...hostile];
  },
};
