/**
 * Code mode over one conversation: ten `execute_code` runs in a row, each of which first reports what the last
 * one left (files, modules, builtins, environment, stdout, tasks, memory) and then leaves all of that behind
 * again, plus a CPU spinner. Every run must find a clean interpreter and finish normally.
 */
import { afterAll, expect, it } from 'vitest';
import { Conversation, defaultNeedsApproval, LocalToolset } from '../../bridge/index.js';
import { reply, ScriptedModelClient, textTurn, type ScriptedTurn } from '../../bridge/entries/testing.js';
import { codeModeSelector, codeModeToolset, type CodeMode } from '../../src/runtime/code-mode.js';

const RUNS = 10;

/** Reports leftovers as JSON, then plants every kind of leftover for the next run. */
const PROGRAM = (run: number) => `
import asyncio, builtins, json, os, sys
others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
report = {
    'files': sorted(f for f in ('/tmp/left.txt', 'left.txt') if os.path.exists(f)),
    'json_patched': json.dumps.__name__ != 'dumps' or hasattr(json, 'planted'),
    'module': 'planted_module' in sys.modules,
    'builtins': hasattr(builtins, 'planted'),
    'env': os.environ.get('PLANTED'),
    'stdout_hijacked': hasattr(sys.stdout, 'planted'),
    'tasks': len(others),
    'pong': await ping(run=${run}),
}
# With the last run's 200 MB still held, the 320 MB Python heap cap would refuse this.
report['memory'] = len(bytearray(200_000_000)) == 200_000_000
print(json.dumps(report, sort_keys=True, separators=(',', ':')))

open('/tmp/left.txt', 'w').write('left')
open('left.txt', 'w').write('left')
json.planted = True
json.dumps = lambda *a, **k: 'spied'
sys.modules['planted_module'] = sys
builtins.planted = bytearray(200_000_000)
os.environ['PLANTED'] = '${run}'
async def keep_calling():
    await asyncio.sleep(0.5)
    while True:
        await ping(run=-${run})
asyncio.ensure_future(keep_calling())
asyncio.get_event_loop().call_later(0.5, lambda: [0 for _ in iter(int, 1)])
class Spy:
    planted = True
    def write(self, s): pass
    def flush(self): pass
sys.stdout = Spy()
`;

const CLEAN = (run: number) =>
  JSON.stringify({
    builtins: false,
    env: null,
    files: [],
    json_patched: false,
    memory: true,
    module: false,
    pong: `pong ${run}`,
    stdout_hijacked: false,
    tasks: 0,
  });

const pings: number[] = [];
const tools = new LocalToolset(
  [
    {
      name: 'ping',
      description: 'Answers pong and the run number.',
      inputSchema: { type: 'object', properties: { run: { type: 'integer' } }, required: ['run'] },
      annotations: { readOnlyHint: true },
      run: async (input) => {
        pings.push(input['run'] as number);
        return `pong ${input['run']}`;
      },
    },
  ],
  'probe',
);

let code: CodeMode | undefined;
afterAll(() => code?.close());

it('ten consecutive runs in one conversation each start clean, ' +
  'however the run before tried to leave state', async () => {
  const modelId = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
  code = codeModeToolset(tools, codeModeSelector('probe'), {
    needsApproval: defaultNeedsApproval,
  });
  const turns: ScriptedTurn[] = Array.from({ length: RUNS }, (_, i) =>
    reply(
      [{ toolUse: { toolUseId: `run${i + 1}`, name: 'execute_code', input: { code: PROGRAM(i + 1) } } }],
      'tool_use',
    ),
  );
  turns.push(textTurn('done'));
  const conversation = new Conversation({
    client: new ScriptedModelClient(turns),
    modelId,
    toolset: code.toolset,
    limits: { maxTurns: RUNS + 1 },
  });
  const result = await conversation.send('Run the probe ten times.');

  expect(result.toolCalls.map((c) => c.status)).toEqual(Array(RUNS).fill('success'));
  expect(result.toolCalls.map((c) => c.result.content.map((b) => ('text' in b ? b.text : '')).join(''))).toEqual(
    Array.from({ length: RUNS }, (_, i) => CLEAN(i + 1)),
  );
  // Only each run's own call: no task of an earlier run called a tool later.
  expect(pings).toEqual(Array.from({ length: RUNS }, (_, i) => i + 1));
}, 180_000);
