#!/usr/bin/env node
// `npm run conformance`: the official MCP conformance suite (@modelcontextprotocol/conformance, a
// devDependency) runs its client scenarios against test/conformance/bridge-client.mjs, which uses only the
// built package's public API. The suite needs Node 22; it comes from the npm registry as the `node` package,
// installed into .tools/node22 (as a devDependency its bin would shadow Node 20 in every npm script). Scenarios
// run one at a time: sse-retry times the client's reconnection. The suite's own output goes to a log file
// (its closing line looks like a test runner's); this prints one line per scenario from its checks.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE_VERSION = '22.23.3';
const tools = join(root, '.tools', 'node22');
const node22 = join(tools, 'node_modules', 'node', 'bin', 'node');
const suite = join(root, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const client = join(root, 'test', 'conformance', 'bridge-client.mjs');

export const SCENARIOS = [
  'initialize',
  'tools_call',
  'sse-retry',
  'elicitation-sep1034-client-defaults',
  'auth/metadata-default',
  'auth/metadata-var1',
  'auth/metadata-var2',
  'auth/metadata-var3',
  'auth/basic-cimd',
  'auth/scope-from-www-authenticate',
  'auth/scope-from-scopes-supported',
  'auth/scope-omitted-when-undefined',
  'auth/scope-step-up',
  'auth/scope-retry-limit',
  'auth/token-endpoint-auth-basic',
  'auth/token-endpoint-auth-post',
  'auth/token-endpoint-auth-none',
  'auth/pre-registration',
  'auth/2025-03-26-oauth-metadata-backcompat',
  'auth/2025-03-26-oauth-endpoint-fallback',
  'auth/resource-mismatch',
  'auth/offline-access-scope',
  'auth/offline-access-not-supported',
  'auth/client-credentials-jwt',
  'auth/client-credentials-basic',
  'auth/cross-app-access-complete-flow',
];

function ensureNode22() {
  if (existsSync(node22)) return true;
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(tools, 'package.json'), JSON.stringify({ name: 'node22', private: true }));
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', `node@${NODE_VERSION}`], {
    cwd: tools,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return install.status === 0 && existsSync(node22);
}

if (!existsSync(join(root, 'dist', 'bridge', 'index.js'))) {
  console.error('conformance: dist/ is missing; run npm run build first');
  process.exit(1);
}
if (!ensureNode22()) {
  console.log(`conformance: skipped: Node ${NODE_VERSION} could not be installed from the npm registry`);
  process.exit(0);
}
console.log(
  'conformance: @modelcontextprotocol/conformance client scenarios ' +
    `on ${execFileSync(node22, ['--version']).toString().trim()}`,
);

const out = join(root, 'dist', 'conformance');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const log = [];
const failed = [];
for (const scenario of SCENARIOS) {
  const dir = join(out, scenario.replace(/\//g, '_'));
  const run = spawnSync(
    node22,
    [suite, 'client', '--command', `${process.execPath} ${client}`, '--scenario', scenario, '-o', dir],
    { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 },
  );
  log.push(`### ${scenario} (exit ${run.status})\n${run.stdout}${run.stderr}`);
  const checks = [];
  const walk = (folder) => {
    for (const entry of existsSync(folder) ? readdirSync(folder, { withFileTypes: true }) : []) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'checks.json') checks.push(...JSON.parse(readFileSync(path, 'utf8')));
    }
  };
  walk(dir);
  const counted = checks.filter((c) => c.status !== 'INFO');
  const bad = counted.filter((c) => c.status === 'FAILURE');
  const warnings = counted.filter((c) => c.status === 'WARNING');
  const ok = run.status === 0 && bad.length === 0 && counted.length > 0;
  if (!ok) failed.push(scenario);
  const note = warnings.length ? ` (${warnings.map((w) => w.name).join(', ')}: warning)` : '';
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${scenario}: ${counted.length - bad.length}/${counted.length} checks${note}`);
  for (const check of bad) console.log(`       ${check.name}: ${check.errorMessage ?? check.description}`);
}
writeFileSync(join(out, 'suite.log'), log.join('\n'));
const summary = failed.length === 0 ? 'every one conforms' : `not conforming: ${failed.join(', ')}`;
console.log(`conformance: ${SCENARIOS.length} client scenarios, ${summary} (log: dist/conformance/suite.log)`);
process.exit(failed.length === 0 ? 0 : 1);
