/**
 * `mcp-bedrock demo`: the whole mission offline. Starts the Converse emulator and the bundled MCP servers
 * (orders on a fresh SQLite file), then plays conversations through the real AWS SDK and the bridge's tool
 * loop, checking each answer. Exits non-zero if any answer is wrong.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BedrockModelClient, Conversation, defaultNeedsApproval, type ApprovalRequest } from '../../../bridge/index.js';
import { defaultServers } from '../../config/index.js';
import { startEmulator } from '../../emulator/index.js';
import { codeModeSelector, codeModeToolset, type CodeMode } from '../../runtime/code-mode.js';
import { connectServers } from '../../runtime/connect-servers.js';
import { packageRoot } from '../../package-root.js';
import { summarize, TerminalRenderer } from '../render.js';

interface Step {
  prompt: string;
  expect: string;
  modelId?: string;
  /** Offer the expenses tools through execute_code (Python in the sandbox). */
  codeMode?: boolean;
  /** Continue the previous conversation instead of starting a new one. */
  followUp?: boolean;
}

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const LETTERS = "How many P's and E's are in 'Peter piper picked a peck of pickled peppers', multiplied?";

const STEPS: Step[] = [
  { prompt: 'What is the most popular song on WZPZ?', expect: 'Elemental Hotel by 8 Storey Hike' },
  { prompt: 'What is the most popular song on WXYZ?', expect: 'Station WXYZ not found.' },
  { prompt: LETTERS, expect: 'that is 72' },
  { prompt: LETTERS, expect: 'that is 72', modelId: 'meta.llama3-70b-instruct-v1:0' },
  { prompt: LETTERS, expect: 'that is 72', modelId: 'amazon.titan-text-premier-v1:0' },
  { prompt: LETTERS, expect: 'that is 72', modelId: 'mistral.mistral-large-2407-v1:0' },
  { prompt: 'I need help with an order', expect: 'What is your order number?' },
  {
    prompt: 'my order is 14826',
    expect: 'Márcia Oliveria (678902): 1 × Backpack at $59.99, status Shipped',
    followUp: true,
  },
  { prompt: 'Please cancel order 14826', expect: "is Shipped, so it can't be cancelled", followUp: true },
  {
    prompt: 'I am anacarolina_silva@example.com, what are my orders?',
    expect: '81695 Wireless Keyboard ×1 $49.99 Processing',
  },
  { prompt: 'Please cancel order 37129', expect: 'is now Cancelled' },
  { prompt: 'Which engineers exceeded their Q3 travel budget?', expect: 'Grace Taylor: 6474.46 spent', codeMode: true },
];

export async function demoCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    const { HELP } = await import('../help.js');
    process.stdout.write(`${HELP['demo']}\n`);
    return 0;
  }
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'mcp-bedrock-demo-'));
  const emulator = await startEmulator({ port: 0 });
  const servers = await connectServers(
    defaultServers(packageRoot(), { orders: ['--db', join(dir, 'orders.sqlite')] }),
    {
      onWarning: (m) => process.stdout.write(`! ${m}\n`),
    },
  );
  // Where the sandbox's network cannot be isolated, the code-mode step is skipped unless the user allows it.
  let code: CodeMode | undefined;
  let codeSkipped = '';
  try {
    code = codeModeToolset(servers.toolset, codeModeSelector('expenses'), {
      needsApproval: defaultNeedsApproval,
      allowUnisolated: argv.includes('--allow-unisolated-sandbox'),
      onWarning: (m) => process.stdout.write(`! ${m}\n`),
    });
  } catch (error) {
    if ((error as { code?: string }).code !== 'SANDBOX_UNISOLATED') throw error;
    codeSkipped = (error as Error).message;
  }
  const client = new BedrockModelClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'offline', secretAccessKey: 'offline' },
  });
  const out = process.stdout;
  const renderer = new TerminalRenderer(out, out);
  const approve = async (request: ApprovalRequest): Promise<boolean> => {
    out.write(
      `  ? allow ${request.descriptor.server} ` +
        `› ${request.descriptor.tool} ${summarize(request.input)} [y/N] y (demo ` +
        `answers yes)\n`,
    );
    return true;
  };
  let failures = 0;
  let conversation: Conversation | undefined;
  try {
    out.write(
      `Converse emulator at ${emulator.url}; MCP servers: ${servers
        .servers()
        .map((s) => `${s.name} (${s.status}, ${s.tools} tools)`)
        .join(', ')}\n`,
    );
    let skipped = 0;
    for (const step of STEPS) {
      const modelId = step.modelId ?? CLAUDE;
      if (step.codeMode && !code) {
        skipped++;
        out.write(`\n── code mode skipped: ${codeSkipped}\n`);
        continue;
      }
      if (!step.followUp || !conversation) {
        const toolset = step.codeMode && code ? code.toolset : servers.toolset;
        conversation = new Conversation({
          client,
          modelId,
          toolset,
          approve,
          onEvent: renderer.onEvent,
          retry: { maxAttempts: 3, baseDelayMs: 50, throttlingBaseDelayMs: 100, maxDelayMs: 500 },
        });
        const codeMode = step.codeMode
          ? ' · code mode: the expenses tools are Python functions behind execute_code'
          : '';
        out.write(`\n── ${modelId}${codeMode}\n`);
      }
      out.write(`you › ${step.prompt}\n`);
      renderer.begin('assistant › ');
      const result = await conversation.send(step.prompt);
      renderer.endText();
      const ok = result.text.includes(step.expect);
      if (!ok) failures++;
      out.write(ok ? '' : `  ✗ expected the answer to contain: ${step.expect}\n`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    out.write(
      `\n${failures === 0 ? '✓ all' : `✗ ${failures} of`} ${STEPS.length - skipped} prompts ` +
        `in ${STEPS.filter((s) => !s.followUp).length} conversations answered correctly in ${seconds} s, ` +
        `offline, through the real AWS SDK${skipped > 0 ? ` (${skipped} skipped)` : ''}.\n`,
    );
    return failures === 0 ? 0 : 1;
  } finally {
    await code?.close();
    await servers.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
