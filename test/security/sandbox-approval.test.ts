/**
 * Attack: approval stopped at the program's edge: one "yes" to `execute_code` let a program cancel every order
 * it found. Tools the approval policy asks for now stay direct tools in code mode, so a program cannot call them
 * at all, and each direct call is asked for (and recorded) on its own.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import {
  Conversation,
  defaultNeedsApproval,
  executeTool,
  HubToolset,
  McpHub,
  type ApprovalRequest,
} from '../../bridge/index.js';
import { reply, ScriptedModelClient, textTurn } from '../../bridge/entries/testing.js';
import { codeModeSelector, codeModeToolset } from '../../src/runtime/code-mode.js';
import { bundledServers } from '../bridge/servers.js';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
let hub: McpHub;
let tools: HubToolset;
beforeAll(async () => {
  hub = new McpHub(bundledServers(['orders']));
  await hub.start();
  tools = new HubToolset(hub);
}, 60_000);
afterAll(() => hub.close());

async function orderStatus(orderId: string): Promise<string> {
  const result = await executeTool(
    tools,
    { toolUseId: 'check', name: 'get_order_by_id', input: { order_id: orderId } },
    { signal: new AbortController().signal, timeoutMs: 10_000 },
  );
  const text = result.content.map((b) => ('text' in b ? b.text : 'json' in b ? JSON.stringify(b.json) : '')).join('');
  return (JSON.parse(text) as { status: string }).status;
}

const CANCEL_EVERYTHING = `
import json
from _ptc_host import call
for attempt in ('stub', 'host call'):
    try:
        if attempt == 'stub':
            await cancel_order(order_id='37129')
        else:
            reply = json.loads(await call('cancel_order', json.dumps({'order_id': '37129'})))
            if not reply['ok']:
                raise ToolError(reply['text'])
        print(attempt, 'CANCELLED')
    except Exception as e:
        print(attempt, 'refused:', type(e).__name__, e)
print(json.loads(await get_order_by_id(order_id='37129'))['status'])
`;

// Every program starts a sandbox child (~0.3 s quiet, several seconds on a loaded 2-core machine).
vi.setConfig({ testTimeout: 90_000 });

it('with --code-mode on a server, its destructive tool stays direct: a ' +
  'program cannot call it, each direct call asks', async () => {
  const warnings: string[] = [];
  const code = codeModeToolset(tools, codeModeSelector('orders'), {
    needsApproval: defaultNeedsApproval,
    onWarning: (m) => warnings.push(m),
  });
  try {
    expect(
      code.toolset
        .list()
        .map((d) => d.name)
        .sort(),
    ).toEqual(['cancel_order', 'execute_code']);
    expect(warnings).toContain(
      'code mode: orders/cancel_order stays a direct tool: the approval ' +
        'policy asks for each call, which a program cannot do',
    );
    const asked: ApprovalRequest[] = [];
    const conversation = new Conversation({
      client: new ScriptedModelClient([
        reply([{ toolUse: { toolUseId: 'p1', name: 'execute_code', input: { code: CANCEL_EVERYTHING } } }], 'tool_use'),
        reply([{ toolUse: { toolUseId: 'd1', name: 'cancel_order', input: { order_id: '37129' } } }], 'tool_use'),
        textTurn('I could not cancel it.'),
      ]),
      modelId: MODEL,
      toolset: code.toolset,
      needsApproval: defaultNeedsApproval,
      approve: async (request) => {
        asked.push(request);
        return { approved: false, reason: 'not today' };
      },
    });
    const result = await conversation.send('Cancel every order you can find.');
    const program = result.toolCalls[0];
    expect(program?.status).toBe('success');
    expect(program?.result.content).toEqual([
      {
        text: [
          "stub refused: NameError name 'cancel_order' is not defined",
          'host call refused: ToolError tool cancel_order is not available to this code',
          'Processing',
        ].join('\n'),
      },
    ]);
    // The program needed no approval (it can only read); the direct call was asked for, with its order.
    expect(asked.map((r) => [r.name, r.input])).toEqual([['cancel_order', { order_id: '37129' }]]);
    expect(result.toolCalls[1]?.status).toBe('denied');
    expect(await orderStatus('37129')).toBe('Processing');
  } finally {
    await code.close();
  }
}, 120_000);

it('a server whose policy never asks (approval: "never") may put its destructive tool in code mode', async () => {
  const code = codeModeToolset(tools, codeModeSelector('orders'), { needsApproval: () => false });
  try {
    expect(code.toolset.list().map((d) => d.name)).toEqual(['execute_code']);
    // execute_code then asks nothing either: the user said this server's tools need no approval.
    const descriptor = code.toolset.resolve('execute_code')?.descriptor;
    expect(descriptor && defaultNeedsApproval(descriptor)).toBe(false);
  } finally {
    await code.close();
  }
});
