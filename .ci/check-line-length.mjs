#!/usr/bin/env node
// Line-length check, run by `npm run check` (docs/architecture.md): every git-tracked code file has lines of at most
// 120 characters; in Markdown (README.md, docs/**/*.md) prose lines do too. Table rows (starting with `|`), lines
// inside fenced code blocks and lines holding a URL or a link target (which cannot be broken) are exempt.
// Prints file:line and the length of each violation and exits 1 if there is any.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX = 120;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CODE = /\.(ts|tsx|mjs|js|cjs|py|sh|ya?ml)$/;
const CODE_FILES = new Set(['.ci/run']);
const MARKDOWN = /^(README\.md|docs\/.*\.md)$/;
const UNBREAKABLE = /[a-z][a-z0-9+.-]*:\/\/\S|\]\([^)\s]+\)|^\s*\[[^\]]+\]:\s/i;
const FENCE = /^\s*(```|~~~)/;

/** Length in characters (code points), so a non-ASCII character counts once. */
const length = (line) => [...line].length;

const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
const violations = [];
let checked = 0;
for (const file of files) {
  const code = CODE.test(file) || CODE_FILES.has(file);
  const markdown = MARKDOWN.test(file);
  if (!code && !markdown) continue;
  let text;
  try {
    text = readFileSync(resolve(root, file), 'utf8');
  } catch {
    continue; // tracked but deleted in the work tree
  }
  checked++;
  let fence = null;
  text.split(/\r?\n/).forEach((line, index) => {
    if (markdown) {
      const opening = FENCE.exec(line);
      if (fence !== null) {
        if (opening && opening[1] === fence) fence = null;
        return;
      }
      if (opening) {
        fence = opening[1];
        return;
      }
      if (/^\s*\|/.test(line) || UNBREAKABLE.test(line)) return;
    }
    const n = length(line);
    if (n > MAX) violations.push(`${file}:${index + 1}: ${n} characters (max ${MAX})`);
  });
}
for (const violation of violations) console.error(violation);
if (violations.length > 0) {
  console.error(`${violations.length} line(s) longer than ${MAX} characters`);
  process.exit(1);
}
console.log(`Lines within ${MAX} characters (${checked} files).`);
