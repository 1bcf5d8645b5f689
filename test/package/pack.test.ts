/**
 * The package as a user gets it: `npm pack`, the tarball unpacked into an empty project whose node_modules holds
 * only the package's "dependencies" (linked from this checkout's, since tests never reach the registry; no
 * devDependency and no optional peer is there), a strict TypeScript consumer of every subpath, and the README's
 * library example run against the emulator with no AWS credentials.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = process.cwd();
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
  dependencies: Record<string, string>;
};
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

let work: string;
let consumer: string;
let files: string[];
/** The environment of a user with no AWS configuration at all. */
let userEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  if (!packed) throw new Error('npm pack wrote no tarball');
  files = packed.files.map((f) => f.path);
  consumer = join(work, 'consumer');
  const installed = join(consumer, 'node_modules', pkg.name);
  mkdirSync(installed, { recursive: true });
  await run('tar', ['xzf', join(work, packed.filename), '-C', installed, '--strip-components=1']);
  // What npm does on install: the package's own dependencies next to it, its bins linked and executable.
  for (const dependency of [...Object.keys(pkg.dependencies), '@types/node']) {
    const link = join(consumer, 'node_modules', dependency);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', dependency), link, 'dir');
  }
  mkdirSync(join(consumer, 'node_modules', '.bin'));
  for (const [bin, target] of Object.entries(pkg.bin)) {
    chmodSync(join(installed, target), 0o755);
    symlinkSync(join('..', pkg.name, target), join(consumer, 'node_modules', '.bin', bin));
  }
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { [pkg.name]: '*' } }),
  );
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        // DOM: the MCP SDK's own declarations use fetch's HeadersInit.
        lib: ['ES2023', 'DOM'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        skipLibCheck: false,
        outDir: 'out',
      },
      include: ['*.ts'],
    }),
  );
  userEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('npm_')),
  );
  Object.assign(userEnv, {
    HOME: join(work, 'home'),
    AWS_EC2_METADATA_DISABLED: 'true',
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
  });
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the built library, bundles, declarations and sources, and no tests, bench or examples', () => {
    for (const target of Object.values(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(files).toContain(target.types.replace(/^\.\//, ''));
      expect(files).toContain(target.default.replace(/^\.\//, ''));
    }
    for (const target of Object.values(pkg.bin)) expect(files).toContain(target);
    expect(files).toContain('fixtures/converse/radio.json');
    const unwanted = files.filter(
      (f) =>
        /^(test|bench|dist\/bench|dist\/test|fixtures\/mcp-tools)\//.test(f) ||
        /\.(test|examples)\.[cm]?[jt]s$/.test(f) ||
        f.includes('bench/results'),
    );
    expect(unwanted).toEqual([]);
  });

  it('ships declarations that carry the TSDoc and its examples', () => {
    const loop = readFileSync(
      join(consumer, 'node_modules', pkg.name, 'dist', 'bridge', 'loop', 'tool-loop.d.ts'),
      'utf8',
    );
    expect(loop).toContain('Runs the Converse tool loop');
    expect(loop).toContain("const result = await runToolLoop('Where is my order 14826?'");
    const hub = readFileSync(join(consumer, 'node_modules', pkg.name, 'dist', 'bridge', 'mcp', 'mcp-hub.d.ts'), 'utf8');
    expect(hub).toContain('@example A transport you built');
  });

  it('has no source map that points outside the package', () => {
    const shipped = new Set(files.map((f) => normalize(f)));
    const outside: string[] = [];
    for (const map of files.filter((f) => f.endsWith('.map'))) {
      const { sources } = JSON.parse(readFileSync(join(consumer, 'node_modules', pkg.name, map), 'utf8')) as {
        sources: string[];
      };
      for (const source of sources) {
        const target = normalize(join(dirname(map), source));
        if (!shipped.has(target)) outside.push(`${map} -> ${source}`);
      }
    }
    expect(outside).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map')).length).toBeGreaterThan(100);
  });
});

describe('installed from the tarball', () => {
  it('type-checks a strict consumer of every subpath and runs it with only the dependencies installed', async () => {
    writeFileSync(
      join(consumer, 'consumer.ts'),
      `import {
  BedrockModelClient, BridgeError, combineToolsets, Conversation, executeTool, filterToolset, HubToolset,
  LocalToolset, McpHub, ModelCallError, runToolLoop, type ServerConfig, type ToolLoopResult,
} from 'mcp-bedrock-bridge';
import { ConfigError, needsApprovalFor, parseMcpConfig } from 'mcp-bedrock-bridge/config';
import { capabilitiesFor, compileSchema, repairHistory, toWireRequest } from 'mcp-bedrock-bridge/converse';
import { reply, ScriptedModelClient, textTurn } from 'mcp-bedrock-bridge/testing';
import { startEmulator, type Emulator } from 'mcp-bedrock-bridge/emulator';
// @ts-expect-error: internals are not part of the main entry
import type { capUnionParameters } from 'mcp-bedrock-bridge';
// @ts-expect-error: nor reachable by path, past the exports map
import type { McpHub as Deep } from 'mcp-bedrock-bridge/dist/bridge/mcp/mcp-hub.js';
export type Hidden = [typeof capUnionParameters, Deep];

const servers: ServerConfig[] = parseMcpConfig(
  '{ "mcpServers": { "radio": { "command": "npx", "args": ["mcp-radio"] } } }',
);
const local = new LocalToolset([
  {
    name: 'add', description: 'Adds.', inputSchema: { type: 'object' },
    run: async (input) => String(Number(input['a']) + Number(input['b'])),
  },
]);
const toolset = combineToolsets([filterToolset(local, () => true)]);
const client = new ScriptedModelClient([
  reply([{ toolUse: { toolUseId: 't1', name: 'add', input: { a: 2, b: 3 } } }], 'tool_use'),
  textTurn('5'),
]);
const result: ToolLoopResult = await runToolLoop('What is 2 + 3?', {
  client, modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', toolset, needsApproval: needsApprovalFor(servers),
});
const direct = await executeTool(toolset, { toolUseId: 'd', name: 'add', input: { a: 1, b: 1 } }, {
  signal: AbortSignal.timeout(1000), timeoutMs: 1000,
});
const caps = capabilitiesFor('amazon.nova-pro-v1:0');
const wire = toWireRequest({
  modelId: 'amazon.nova-pro-v1:0', caps, messages: repairHistory(result.messages).messages, tools: [],
});
const compiled = compileSchema({ type: 'object', properties: { a: { type: 'number' } } }, caps.schemaRules);
const emulator: Emulator = await startEmulator({ port: 0 });
await emulator.close();
const classes = [BedrockModelClient, BridgeError, Conversation, HubToolset, McpHub, ModelCallError, ConfigError];
console.log(JSON.stringify({
  text: result.text, calls: result.toolCalls.map((c) => c.status), direct: direct.status,
  messages: wire.messages.length,
  compiled: compiled.ok, classes: classes.map((c) => c.name),
}));
`,
    );
    await run(process.execPath, [tsc, '-p', consumer], { cwd: consumer });
    const { stdout } = await run(process.execPath, [join(consumer, 'out', 'consumer.js')], {
      cwd: consumer,
      env: userEnv,
    });
    expect(JSON.parse(stdout)).toEqual({
      text: '5',
      calls: ['success'],
      direct: 'success',
      messages: 4,
      compiled: true,
      classes: [
        'BedrockModelClient',
        'BridgeError',
        'Conversation',
        'HubToolset',
        'McpHub',
        'ModelCallError',
        'ConfigError',
      ],
    });
  }, 120_000);

  it("runs the README's library example against the emulator, with no AWS credentials", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = readme.match(/```ts source="bridge\/readme\.examples\.ts"\n([\s\S]*?)```/)?.[1];
    expect(example).toBeDefined();
    writeFileSync(join(consumer, 'readme-example.ts'), example as string);
    await run(process.execPath, [tsc, '-p', consumer], { cwd: consumer });
    const { startEmulator } = (await import(
      pathToFileURL(join(consumer, 'node_modules', pkg.name, 'dist', 'src', 'emulator', 'index.js')).href
    )) as typeof import('../../src/emulator/index.js');
    const emulator = await startEmulator({ port: 0 });
    try {
      const { stdout } = await run(process.execPath, [join(consumer, 'out', 'readme-example.js')], {
        cwd: consumer,
        env: { ...userEnv, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emulator.url },
      });
      expect(stdout).toContain('The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.');
      expect(emulator.requests.length).toBeGreaterThanOrEqual(2);
    } finally {
      await emulator.close();
    }
  }, 120_000);

  it('names the package to install when a feature needs an optional peer that is missing', () => {
    let stderr = '';
    try {
      execFileSync(join(consumer, 'node_modules', '.bin', 'mcp-orders'), ['--db', ':memory:'], {
        cwd: consumer,
        env: userEnv,
        input: '',
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      stderr = String((error as { stderr?: Buffer }).stderr);
    }
    expect(stderr).toContain(
      'needs the package better-sqlite3, which is not installed: run npm install better-sqlite3',
    );
  });
});
