#!/usr/bin/env node
// Copies type-checked example code into the documentation that shows it (the MCP TypeScript SDK's pattern).
// A fence written ```ts source="./file.examples.ts#region" (in a TSDoc comment or a Markdown file) gets the lines
// between `//#region region` and `//#endregion region` of that file, which `npm run check` type-checks like any
// source; without `#region`, the whole file. `npm run format` rewrites the fences; `npm run check` runs
// `--check`, which fails when a fence and its source differ, so no example in the docs can stop compiling.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const SOURCE_DIRS = ['bridge', 'src', 'servers'];
const MARKDOWN = ['README.md', 'docs'];

function walk(path, keep) {
  if (!statSync(path, { throwIfNoEntry: false })) return [];
  if (!statSync(path).isDirectory()) return keep(path) ? [path] : [];
  return readdirSync(path).flatMap((name) => (name === 'node_modules' ? [] : walk(join(path, name), keep)));
}

function region(file, name, from) {
  const where = `${relative(root, from)}: source="${relative(dirname(from), file)}${name ? `#${name}` : ''}"`;
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${where}: no such file`);
  }
  let lines = text.replace(/\n$/, '').split('\n');
  if (name) {
    const start = lines.findIndex((l) => l.trim() === `//#region ${name}`);
    const end = lines.findIndex((l) => l.trim() === `//#endregion ${name}`);
    if (start < 0 || end < start) throw new Error(`${where}: no //#region ${name} ... //#endregion ${name}`);
    lines = lines.slice(start + 1, end);
  }
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)[0].length));
  return lines.map((l) => l.slice(indent));
}

/** Rewrites every fence of one file; `prefix` is what starts each line inside the fence (` * ` in TSDoc). */
function sync(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    out.push(line);
    const open = line.match(/^(\s*(?:\* ?)?)```ts source="([^"#]+)(?:#([^"]+))?"\s*$/);
    if (!open) continue;
    const [, lead, path, name] = open;
    const prefix = lead.includes('*') ? lead.replace(/\*\s?$/, '* ') : lead;
    let close = i + 1;
    while (close < lines.length && lines[close].trim().replace(/^\*\s*/, '') !== '```') close++;
    if (close >= lines.length) throw new Error(`${relative(root, file)}:${i + 1}: fence is never closed`);
    const body = region(resolve(dirname(file), path), name, file);
    for (const l of body) out.push(l === '' ? prefix.trimEnd() : `${prefix}${l}`);
    out.push(lines[close]);
    i = close;
  }
  return out.join('\n');
}

const files = [
  ...SOURCE_DIRS.flatMap((d) => walk(join(root, d), (f) => f.endsWith('.ts') && !f.endsWith('.examples.ts'))),
  ...MARKDOWN.flatMap((d) => walk(join(root, d), (f) => f.endsWith('.md'))),
];
const stale = [];
try {
  for (const file of files) {
    const before = readFileSync(file, 'utf8');
    if (!before.includes('source="')) continue;
    const after = sync(file);
    if (after === before) continue;
    if (check) stale.push(relative(root, file));
    else writeFileSync(file, after);
  }
} catch (error) {
  console.error(`Snippet sync failed: ${error.message}`);
  process.exit(1);
}
if (stale.length) {
  console.error(`Examples out of sync with their *.examples.ts sources (run npm run format): ${stale.join(', ')}`);
  process.exit(1);
}
console.log(check ? 'Examples in sync with their sources.' : 'Examples synced.');
