#!/usr/bin/env node
// Run by `npm run build` after tsc: bundles the command-line entries (the CLI and the four servers) in place over
// tsc's output. Node's ESM loader resolves, reads and compiles every module file on its own; one bundle per entry
// cuts a server's start from ~290 to ~160 ms and the CLI's cold `run --json` from ~650 to ~400 ms
// (docs/performance.md). Shared code goes to dist/chunks/, dynamic imports stay lazy as their own chunks, identifiers
// stay readable. The unbundled entries tsc wrote work the same, only slower: nothing depends on the bundle but start-up
// time.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const ENTRIES = [
  'src/cli/main',
  'servers/orders/main',
  'servers/radio/main',
  'servers/expenses/main',
  'servers/utilities/main',
];

rmSync(join(dist, 'chunks'), { recursive: true, force: true });
const result = await build({
  entryPoints: Object.fromEntries(ENTRIES.map((entry) => [entry, join(dist, `${entry}.js`)])),
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  // jsonc-parser's `main` is a UMD build whose inner requires a bundler cannot follow; its `module` build is ESM.
  mainFields: ['module', 'main'],
  // The optional peer dependencies (native addons, Pyodide and its assets) load from node_modules, when installed;
  // every other package is inlined, so the CLI and servers need none of the devDependencies they use at run time.
  external: Object.keys(pkg.peerDependencies ?? {}),
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: {
    js:
      "import { createRequire as __bundleRequire } from 'node:module'; " +
      'const require = __bundleRequire(import.meta.url);',
  },
  write: false,
  allowOverwrite: true,
  logLevel: 'warning',
});
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.contents);
}
// tsc's source maps describe the files the bundles replaced: shipped, they would map the bundle's lines wrongly.
for (const entry of ENTRIES) rmSync(join(dist, `${entry}.js.map`), { force: true });
