import { afterEach, describe, expect, it } from 'vitest';
import type { ContentBlock, Message, ToolResultBlock, ToolUseBlock } from '../../bridge/converse/types.js';
import { reply, ScriptedModelClient, textTurn, type ScriptedTurn } from '../../bridge/testing/scripted-model-client.js';
import { runToolLoop } from '../../bridge/loop/tool-loop.js';
import { filterToolset } from '../../bridge/tools/filter-toolset.js';
import { combineToolsets, LocalToolset } from '../../bridge/tools/local-toolset.js';
import type { ResolvedTool, ToolCallContext, ToolDescriptor, Toolset } from '../../bridge/tools/toolset.js';

const CLAUDE = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

/**
 * A third-party toolset as the loop must survive it: it enforces no timeout, and like the MCP SDK it adds an
 * abort listener per call that it never removes.
 */
class CarelessToolset implements Toolset {
  readonly version = 1;
  readonly signals: AbortSignal[] = [];
  private readonly descriptor: ToolDescriptor;

  /** How often a name was resolved. */
  resolved = 0;

  constructor(private readonly run: (toolUse: ToolUseBlock) => Promise<string>) {
    this.descriptor = {
      name: 'work',
      server: 'careless',
      tool: 'work',
      description: 'does work',
      inputSchema: { type: 'object', properties: {} },
      annotations: { readOnlyHint: true },
    };
  }

  list(): readonly ToolDescriptor[] {
    return [this.descriptor];
  }

  resolve(name: string): ResolvedTool | undefined {
    this.resolved++;
    return name === 'work'
      ? { descriptor: this.descriptor, execute: (use, context) => this.execute(use, context) }
      : undefined;
  }

  toolSpecs() {
    return {
      tools: [
        {
          toolSpec: {
            name: 'work',
            description: 'does work',
            inputSchema: { json: { type: 'object', properties: {} } },
          },
        },
      ],
      warnings: [],
    };
  }

  private async execute(toolUse: ToolUseBlock, context: ToolCallContext): Promise<ToolResultBlock> {
    this.signals.push(context.signal);
    context.signal.addEventListener('abort', () => {});
    return { toolUseId: toolUse.toolUseId, content: [{ text: await this.run(toolUse) }], status: 'success' };
  }
}

function calls(count: number): ContentBlock[] {
  return Array.from({ length: count }, (_, i) => ({ toolUse: { toolUseId: `id_${i}`, name: 'work', input: {} } }));
}

const warnings: Error[] = [];
const onWarning = (warning: Error): void => {
  warnings.push(warning);
};
process.on('warning', onWarning);
afterEach(() => {
  warnings.length = 0;
});

async function loop(toolset: Toolset, turns: ScriptedTurn[], toolTimeoutMs = 10_000) {
  const messages: Message[] = [{ role: 'user', content: [{ text: 'go' }] }];
  return runToolLoop(messages, {
    client: new ScriptedModelClient(turns),
    modelId: CLAUDE,
    toolset,
    limits: { toolTimeoutMs },
  });
}

describe('tool calls on a toolset that enforces no timeout', () => {
  it('answers a call that never returns as timed out and cancels it', async () => {
    const toolset = new CarelessToolset(() => new Promise(() => {}));
    const result = await loop(toolset, [reply(calls(1), 'tool_use'), textTurn('gave up')], 20);
    expect(result.toolCalls[0]?.status).toBe('timeout');
    expect(JSON.stringify(result.toolCalls[0]?.result.content)).toContain('did not answer within 20 ms');
    expect(result.text).toBe('gave up');
    expect(toolset.signals[0]?.aborted).toBe(true);
  });

  it('times out only the call that hangs; its quick siblings keep their results', async () => {
    const toolset = new CarelessToolset((use) =>
      use.toolUseId === 'id_1' ? new Promise(() => {}) : Promise.resolve('done'),
    );
    const result = await loop(toolset, [reply(calls(3), 'tool_use'), textTurn('ok')], 20);
    expect(result.toolCalls.map((c) => c.status)).toEqual(['success', 'timeout', 'success']);
  });

  it('never aborts the signal of a batch that finished cleanly (MCP servers would be sent cancellations)', async () => {
    const toolset = new CarelessToolset(async () => 'done');
    await loop(toolset, [reply(calls(3), 'tool_use'), reply(calls(2), 'tool_use'), textTurn('ok')]);
    expect(toolset.signals).toHaveLength(5);
    expect(toolset.signals.some((s) => s.aborted)).toBe(false);
  });

  it('runs a turn of 12 parallel calls without a listener-leak warning', async () => {
    const toolset = new CarelessToolset(async () => 'done');
    const result = await loop(toolset, [reply(calls(12), 'tool_use'), textTurn('ok')]);
    expect(result.toolCalls.filter((c) => c.status === 'success')).toHaveLength(12);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});

describe('tool name resolution', () => {
  it('resolves each call once, through a filter and a combination, for the approval check and the run', async () => {
    const inner = new CarelessToolset(async () => 'done');
    const approvals: string[] = [];
    const toolset = combineToolsets([filterToolset(inner, () => true), new LocalToolset([])]);
    const result = await runToolLoop([{ role: 'user', content: [{ text: 'go' }] }], {
      client: new ScriptedModelClient([reply(calls(3), 'tool_use'), textTurn('ok')]),
      modelId: CLAUDE,
      toolset,
      needsApproval: () => true,
      approve: async (request) => {
        approvals.push(request.descriptor.server);
        return true;
      },
    });
    expect(result.toolCalls.map((c) => c.status)).toEqual(['success', 'success', 'success']);
    expect(approvals).toEqual(['careless', 'careless', 'careless']);
    expect(inner.resolved).toBe(3);
  });
});
