#!/usr/bin/env node
// Run by `npm run build`: bundles the web chat's page (src/web/client) into dist/web with the repo's esbuild, so
// the package serves it offline: one script, one stylesheet, the HTML shell and the icon, nothing from a CDN.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const client = join(root, 'src', 'web', 'client');
const out = join(root, 'dist', 'web');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: join(client, 'main.tsx'), 'app-styles': join(client, 'styles.css') },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome120', 'firefox120', 'safari17'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
// esbuild names a CSS entry after its key; the page links /assets/app.css.
copyFileSync(join(out, 'app-styles.css'), join(out, 'app.css'));
rmSync(join(out, 'app-styles.css'));
for (const file of ['index.html', 'icon.svg']) copyFileSync(join(client, file), join(out, file));
