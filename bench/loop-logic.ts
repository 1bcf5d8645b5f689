/**
 * The loop's own bookkeeping, with nothing else in the way: scenario 2's shape (10 turns × 3 parallel calls)
 * against an in-process model that answers instantly and a tool that returns at once. What remains is the CPU
 * the bridge spends per conversation (translation, records, timeouts, cancellation), the part of scenario 2's
 * overhead that is ours; the figures are steady where the end-to-end ones swing with the machine.
 */
import {
  LocalToolset,
  runToolLoop,
  type ConverseRequest,
  type ConverseResponse,
  type ModelClient,
} from '../bridge/index.js';
import { reply, textTurn } from '../bridge/entries/testing.js';
import { streamEventsOf } from '../bridge/entries/converse.js';
import { stats, timeRepeated, type BenchRow } from './harness.js';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const TURNS = 10;
const ORDER = { id: '14826', customer_id: '678902', product: 'Backpack', quantity: 1, price: 59.99, status: 'Shipped' };

let ids = 0;
function answer(request: ConverseRequest): ConverseResponse {
  const turn = request.messages.length >> 1;
  if (turn >= TURNS) return textTurn('done');
  const calls = [0, 1, 2].map((i) => ({
    toolUse: { toolUseId: `tooluse_${ids++}`, name: 'get_order', input: { order_id: String(10_000 + i) } },
  }));
  return reply(calls, 'tool_use');
}

const client: ModelClient = {
  converse: async (request) => answer(request),
  converseStream: async function* (request) {
    yield* streamEventsOf(answer(request));
  },
};

const toolset = new LocalToolset([
  {
    name: 'get_order',
    description: 'Get an order',
    inputSchema: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
    annotations: { readOnlyHint: true },
    run: async () => ({ content: [{ json: ORDER }] }),
  },
]);

export async function loopLogicRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const stream of [false, true]) {
    const run = () =>
      runToolLoop([{ role: 'user', content: [{ text: 'ten rounds' }] }], { client, modelId: MODEL, toolset, stream });
    // One sample is a batch of 100 conversations: a single one is too short for the clock.
    const batches = await timeRepeated(
      async () => {
        for (let i = 0; i < 100; i++) await run();
      },
      { warmup: 5, repetitions: 30 },
    );
    const perRun = stats(batches.map((ms) => ms / 100));
    rows.push({
      suite: 'loop',
      name: `loop bookkeeping alone, 10 turns × 3 calls, ${stream ? 'ConverseStream' : 'Converse'}`,
      unit: 'ms',
      value: perRun.median,
      p90: perRun.p90,
      samples: 30,
      note: 'in-process model and tool: the bridge CPU inside scenario 2',
    });
  }
  return rows;
}
