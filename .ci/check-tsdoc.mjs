#!/usr/bin/env node
// Run by `npm run check`: every exported declaration of the library (bridge/) carries a TSDoc comment, so the
// package's declarations document every name a user can reach (its entries re-export them by name).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DECLARATION =
  /^export (?:declare )?(?:async )?(?:abstract )?(?:function\*?|class|interface|type(?! \{)|const|let|enum) /;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return walk(full);
    return name.endsWith('.ts') && !name.endsWith('.examples.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

const missing = [];
for (const file of walk(join(root, 'bridge'))) {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!DECLARATION.test(line)) return;
    let j = i - 1;
    while (j >= 0 && lines[j].trim().startsWith('// biome-ignore')) j--;
    if (j < 0 || !lines[j].trim().endsWith('*/'))
      missing.push(`${relative(root, file)}:${i + 1}: ${line.slice(0, 90)}`);
  });
}
if (missing.length) {
  console.error(`Exported declarations without a TSDoc comment (${missing.length}):`);
  for (const m of missing) console.error(`  ${m}`);
  process.exit(1);
}
console.log('Every exported declaration of bridge/ has TSDoc.');
