/**
 * `npm run bench [-- --only a,b]`: runs the suites, prints one table, writes JSON under bench/results/.
 * Figures are stated with the machine facts so readers on other machines compare ratios, not absolutes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchRow } from './harness.js';
import { suites } from './suites.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function machineFacts(): Record<string, string | number> {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout (e.g. an installed package): the commit is simply unknown.
  }
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    commit,
  };
}

function format(value: number | undefined, unit?: string): string {
  if (value === undefined || Number.isNaN(value)) return '';
  const digits = unit === 'ms' && Math.abs(value) < 10 ? 2 : Math.abs(value) < 100 ? 1 : 0;
  return value.toFixed(digits);
}

function printTable(rows: BenchRow[]): void {
  const header = ['suite', 'measure', 'unit', 'value', 'p90', 'floor', 'target', 'ok', 'note'];
  const body = rows.map((r) => [
    r.suite,
    r.name,
    r.unit,
    format(r.value, r.unit),
    format(r.p90, r.unit),
    format(r.floor, r.unit),
    r.target ?? '',
    r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of body) console.log(line(row));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const only = values.only?.split(',').map((s) => s.trim());
  const selected = only ? suites.filter((s) => only.includes(s.name)) : suites;
  if (only && selected.length !== only.length) {
    const known = suites.map((s) => s.name).join(', ');
    throw new Error(`--only names unknown suites; known suites: ${known}`);
  }
  const facts = machineFacts();
  console.log(
    `Machine: ${facts.cores} cores (${facts.cpu}), Node ${facts.node}, ${facts.platform}, commit ${facts.commit}`,
  );
  const rows: BenchRow[] = [];
  for (const suite of selected) {
    console.error(`running ${suite.name}: ${suite.description}`);
    rows.push(...(await suite.run()));
  }
  printTable(rows);
  const dir = join(projectRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify({ machine: facts, rows }, null, 2);
  const stamped = join(dir, `${String(facts.date).replace(/[:.]/g, '-')}.json`);
  writeFileSync(stamped, json);
  // latest.json is the committed reference: only a full run may replace it.
  if (!only) writeFileSync(join(dir, 'latest.json'), json);
  console.log(`Results written to ${stamped}${only ? '' : ' and bench/results/latest.json'}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
