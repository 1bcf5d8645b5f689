#!/usr/bin/env node
// Import-boundary and cycle check, run by `npm run check`.
// Rules (docs/architecture.md): bridge/ imports neither src/ nor servers/; servers/ imports neither src/ nor bridge/;
// src/ and bench/ reach bridge/ only through the package's entries (package.json "exports") and src/ never imports
// servers/ (it runs them as processes);
// @aws-sdk/client-bedrock-runtime is imported by one adapter file; code that runs unbundled uses only `dependencies`
// and optional peers (see "Packages" below);
// no import cycles. Inside bridge/, each layer imports only itself and the layers below it (docs/architecture.md):
// errors.ts, timers.ts < converse/ < model/, tools/ < loop/, mcp/ < testing/, config/ < index.ts, entries/ (the
// package's subpaths). The web chat's page (src/web/client) is bundled for the browser: it may import devDependencies,
// and nothing else imports it.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['bridge', 'servers', 'src', 'bench'];
const AWS_SDK = '@aws-sdk/client-bedrock-runtime';
const AWS_SDK_ADAPTER = 'bridge/model/bedrock-model-client.ts';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const runtimeDeps = new Set(Object.keys(pkg.dependencies ?? {}));
const devDeps = new Set(Object.keys(pkg.devDependencies ?? {}));
const optionalPeers = new Set(
  Object.keys(pkg.peerDependencies ?? {}).filter((name) => pkg.peerDependenciesMeta?.[name]?.optional === true),
);
const builtins = new Set(builtinModules);

function walk(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    // Examples (*.examples.ts) import the package by its name, as its users do; they never run.
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.examples.ts')) out.push(full);
  }
  return out;
}

// Blank out comments and string contents that are not import specifiers would need a parser; comments are
// enough here because specifiers are always string literals right after `from`/`import`.
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const IMPORT_PATTERNS = [
  /\bimport\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bexport\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

function importsOf(file) {
  const text = stripComments(readFileSync(file, 'utf8'));
  const found = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const line = text.slice(0, match.index).split('\n').length;
      found.push({ specifier: match[1], line });
    }
  }
  return found;
}

function resolveRelative(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    base,
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const topOf = (rel) => rel.split(sep)[0];
const PAGE = join('src', 'web', 'client') + sep;
const BRIDGE_LAYERS = {
  'errors.ts': 0,
  'timers.ts': 0,
  converse: 1,
  model: 2,
  tools: 2,
  loop: 3,
  mcp: 3,
  testing: 4,
  config: 4,
  'index.ts': 5,
  entries: 5,
};
/** Source files behind the package's `exports` (./dist/X.js -> X.ts): the only way into bridge/ from outside. */
const ENTRY_FILES = new Set(
  Object.values(pkg.exports ?? {})
    .map((target) => (typeof target === 'string' ? target : target.default))
    .filter((target) => target.startsWith('./dist/') && target.endsWith('.js'))
    .map((target) => `${join(...target.slice('./dist/'.length, -'.js'.length).split('/'))}.ts`),
);
/** The bridge layer of a bridge/ file: its folder, or the file itself at the top. */
const layerOf = (rel) => rel.split(sep)[1];
const violations = [];
const graph = new Map();
const packageImports = [];
/** Spawned from dist/ as they are, not bundled. */
const UNBUNDLED = [join('src', 'sandbox', 'runner.ts')];

for (const dir of SOURCE_DIRS) {
  for (const file of walk(join(root, dir))) {
    const rel = relative(root, file);
    const top = topOf(rel);
    const edges = [];
    for (const { specifier, line } of importsOf(file)) {
      const where = `${rel}:${line}`;
      if (specifier.startsWith('.')) {
        const target = resolveRelative(file, specifier);
        if (!target) {
          violations.push(`${where} imports '${specifier}', which does not resolve to a source file`);
          continue;
        }
        const targetRel = relative(root, target);
        const targetTop = topOf(targetRel);
        edges.push(targetRel);
        if (top === 'bridge' && targetTop !== 'bridge') {
          violations.push(`${where} bridge/ must not import ${targetTop}/ ('${specifier}')`);
        }
        if (top === 'bridge' && targetTop === 'bridge') {
          const [from, to] = [layerOf(rel), layerOf(targetRel)];
          const [fromRank, toRank] = [BRIDGE_LAYERS[from], BRIDGE_LAYERS[to]];
          if (fromRank === undefined)
            violations.push(`${where} bridge/${from} is not a known layer (see BRIDGE_LAYERS)`);
          else if (from !== to && !(toRank < fromRank)) {
            violations.push(
              `${where} bridge/${from} must not import bridge/${to}, a layer at or above it ('${specifier}')`,
            );
          }
        }
        if (top === 'servers' && targetTop !== 'servers') {
          violations.push(`${where} servers/ must not import ${targetTop}/ ('${specifier}')`);
        }
        if (top === 'src' && targetTop === 'servers') {
          violations.push(`${where} src/ runs servers as processes and must not import servers/ ('${specifier}')`);
        }
        if (!rel.startsWith(PAGE) && targetRel.startsWith(PAGE)) {
          violations.push(`${where} only the page itself imports src/web/client/ ('${specifier}')`);
        }
        if ((top === 'src' || top === 'bench') && targetTop === 'bridge' && !ENTRY_FILES.has(targetRel)) {
          violations.push(
            `${where} ${top}/ must import bridge/ through a package entry (package.json "exports"), not '${specifier}'`,
          );
        }
        continue;
      }
      const name = specifier.startsWith('node:') ? specifier : packageName(specifier);
      if (name === AWS_SDK && top !== 'bench' && rel !== AWS_SDK_ADAPTER) {
        violations.push(`${where} only ${AWS_SDK_ADAPTER} may import ${AWS_SDK}`);
      }
      if (specifier.startsWith('node:') || builtins.has(name)) continue;
      packageImports.push({ rel, where, name });
    }
    graph.set(rel, edges);
  }
}

// Packages. What runs unbundled from dist/ (the package's entries, and the sandbox runner the sandbox spawns) loads
// its packages from node_modules: they must be "dependencies", or optional peers it loads on first use. The CLI and
// the servers are bundled (.ci/bundle.mjs), so they may also use devDependencies, which the bundle inlines; the
// optional peers (native addons, Pyodide) are the bundle's externals. A library user installs "dependencies" only.
const reachable = new Set();
for (const start of [...ENTRY_FILES, ...UNBUNDLED]) {
  const stack = [start];
  while (stack.length) {
    const file = stack.pop();
    if (reachable.has(file)) continue;
    reachable.add(file);
    stack.push(...(graph.get(file) ?? []));
  }
}
for (const { rel, where, name } of packageImports) {
  if (runtimeDeps.has(name) || optionalPeers.has(name)) continue;
  const bundled = topOf(rel) === 'bench' || rel.startsWith(PAGE) || !reachable.has(rel);
  if (!devDeps.has(name)) violations.push(`${where} imports '${name}', which package.json does not list`);
  else if (!bundled) {
    violations.push(
      `${where} imports '${name}' in code that runs unbundled (the package's entries or the sandbox ` +
        'runner): it must be in "dependencies", or an optional peer dependency',
    );
  }
}
for (const name of optionalPeers) {
  if (!devDeps.has(name))
    violations.push(`optional peer dependency '${name}' must also be a devDependency (tests use it)`);
}

// Cycle detection: iterative DFS with colours; report each cycle once by its lexicographically smallest rotation.
const seenCycles = new Set();
const colour = new Map();
function visit(start) {
  const stack = [[start, 0]];
  const path = [start];
  colour.set(start, 'grey');
  while (stack.length) {
    const frame = stack[stack.length - 1];
    const [node, index] = frame;
    const edges = graph.get(node) ?? [];
    if (index >= edges.length) {
      colour.set(node, 'black');
      stack.pop();
      path.pop();
      continue;
    }
    frame[1] += 1;
    const next = edges[index];
    if (colour.get(next) === 'grey') {
      const cycle = path.slice(path.indexOf(next));
      // biome-ignore lint/complexity/useMathMinMax: these are strings (file paths), which Math.min cannot compare
      const min = cycle.reduce((a, b) => (a < b ? a : b));
      const rotated = [...cycle.slice(cycle.indexOf(min)), ...cycle.slice(0, cycle.indexOf(min))];
      const key = rotated.join(' -> ');
      if (!seenCycles.has(key)) {
        seenCycles.add(key);
        violations.push(`import cycle: ${key} -> ${rotated[0]}`);
      }
    } else if (!colour.has(next)) {
      colour.set(next, 'grey');
      stack.push([next, 0]);
      path.push(next);
    }
  }
}
for (const node of graph.keys()) if (!colour.has(node)) visit(node);

if (violations.length) {
  console.error(`Import boundary check failed (${violations.length}):`);
  for (const v of violations) console.error(`  ${v}`);
  process.exit(1);
}
console.log(`Import boundaries and cycles OK (${graph.size} files).`);
