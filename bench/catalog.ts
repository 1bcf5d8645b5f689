/**
 * Scenario 3: a catalog of 250 tools from 20 servers (server-everything plus 19 generated servers with realistic
 * schemas): listing them at start, compiling their schemas, and the per-turn cost once compiled.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capabilitiesFor, capUnionParameters } from '../bridge/entries/converse.js';
import { HubToolset, McpHub, type ServerConfig } from '../bridge/index.js';
import { packageRoot } from '../src/package-root.js';
import { stats, type BenchRow, type BenchSuite } from './harness.js';

function generatedServer(index: number, count: number): object {
  const tools = Array.from({ length: count }, (_, i) => ({
    name: `svc${index}.op_${i}`,
    description: `Operation ${i} of service ${index}`,
    inputSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        id: { type: 'string', description: 'Identifier' },
        filter: { $ref: '#/$defs/filter' },
        limit: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
        'page.token': { type: 'string' },
      },
      required: ['id'],
      $defs: {
        filter: { type: 'object', properties: { field: { type: 'string' }, value: { type: ['string', 'null'] } } },
      },
    },
  }));
  return { server: `svc${index}`, tools };
}

/** The bench's catalog: server-everything and 19 generated servers, 250 tools in all (files in a temp folder). */
export function catalogServers(): ServerConfig[] {
  const root = packageRoot();
  const dir = mkdtempSync(join(tmpdir(), 'bench-catalog-'));
  const configs: ServerConfig[] = [
    {
      name: 'everything',
      transport: 'stdio',
      command: process.execPath,
      args: [join(root, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js'), 'stdio'],
    },
  ];
  for (let i = 1; i <= 19; i++) {
    const file = join(dir, `svc${i}.json`);
    writeFileSync(file, JSON.stringify(generatedServer(i, i <= 9 ? 13 : 12)));
    configs.push({
      name: `svc${i}`,
      transport: 'stdio',
      command: process.execPath,
      args: [join(root, 'fixtures', 'mcp-tools', 'serve-tools.mjs'), file],
    });
  }
  return configs;
}

export const catalogSuite: BenchSuite = {
  name: 'catalog',
  description: '250 tools from 20 servers: listing, schema compile, per-turn cost',
  async run(): Promise<BenchRow[]> {
    const configs = catalogServers();
    let start = performance.now();
    const hub = new McpHub(configs);
    await hub.start();
    const connectMs = performance.now() - start;
    const toolset = new HubToolset(hub);
    const caps = capabilitiesFor('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    start = performance.now();
    const first = toolset.toolSpecs(caps);
    const compileMs = performance.now() - start;
    // What the first request adds on top: Claude's union cap over the whole list (docs/schema-translation.md).
    start = performance.now();
    const capped = capUnionParameters(first.tools, caps);
    const capMs = performance.now() - start;
    const perTurn: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      toolset.toolSpecs(caps);
      perTurn.push(performance.now() - t);
    }
    await hub.close();
    const tools = first.tools.length;
    return [
      {
        suite: 'catalog',
        name: `start ${configs.length} servers + list ${tools} tools`,
        unit: 'ms',
        value: connectMs,
        note: 'spawns 20 node processes concurrently',
      },
      {
        suite: 'catalog',
        name: `compile ${tools} schemas (first turn)`,
        unit: 'ms',
        value: compileMs,
        target: '≤ 20 ms',
        ok: compileMs <= 20,
      },
      {
        suite: 'catalog',
        name: `union cap on ${tools} tools (first turn)`,
        unit: 'ms',
        value: capMs,
        note: `${capped.changes.length} schema changes, each reported by tool and parameter`,
      },
      {
        suite: 'catalog',
        name: 'tool specs on later turns (cached)',
        unit: 'ms',
        value: stats(perTurn).median,
        p90: stats(perTurn).p90,
        samples: perTurn.length,
        note: 'once per catalog change, not per turn',
      },
    ];
  },
};
