import { describe, expect, it } from 'vitest';
import type { ContentBlock, ConverseRequest, JsonObject, Message } from '../../bridge/converse/types.js';
import { repairHistory } from '../../bridge/converse/history-repair.js';
import { LocalToolset, type LocalTool } from '../../bridge/tools/local-toolset.js';
import { ModelCallError } from '../../bridge/model/model-errors.js';
import { reply, ScriptedModelClient, textTurn, type ScriptedTurn } from '../../bridge/testing/scripted-model-client.js';
import { runToolLoop } from '../../bridge/loop/tool-loop.js';
import type { LoopEvent, ToolLoopOptions } from '../../bridge/loop/types.js';

const CLAUDE = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

function call(name: string, input: JsonObject | string, id = `id_${name}`): ContentBlock {
  return { toolUse: { toolUseId: id, name, input: input as JsonObject } };
}

function tool(
  name: string,
  run: LocalTool['run'],
  annotations: LocalTool['annotations'] = { readOnlyHint: true },
): LocalTool {
  return { name, description: `the ${name} tool`, inputSchema: { type: 'object', properties: {} }, annotations, run };
}

async function loop(turns: ScriptedTurn[], tools: LocalTool[], options: Partial<ToolLoopOptions> = {}) {
  const client = new ScriptedModelClient(turns);
  const events: LoopEvent[] = [];
  const messages: Message[] = [{ role: 'user', content: [{ text: 'hello' }] }];
  const result = await runToolLoop(messages, {
    client,
    modelId: CLAUDE,
    toolset: new LocalToolset(tools),
    onEvent: (e) => events.push(e),
    retry: { maxAttempts: 3, baseDelayMs: 1, throttlingBaseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
  return { result, events, client, messages };
}

/** The history must need no repair: what we keep is exactly what Bedrock accepts. */
function expectValidHistory(messages: Message[]): void {
  expect(repairHistory(messages).repairs).toEqual([]);
}

describe('runToolLoop', () => {
  it('runs a tool round trip, streams text, and sums usage over turns', async () => {
    const { result, events } = await loop(
      [
        reply([{ text: 'Let me look.' }, call('top_song', { sign: 'WZPZ' })], 'tool_use'),
        (req) => {
          const results = req.messages.at(-1)?.content ?? [];
          const text = JSON.stringify(results);
          return textTurn(text.includes('Elemental Hotel') ? 'The top song is Elemental Hotel.' : 'no idea');
        },
      ],
      [tool('top_song', async (input) => (input['sign'] === 'WZPZ' ? 'Elemental Hotel by 8 Storey Hike' : 'unknown'))],
    );
    expect(result.stopReason).toBe('end_turn');
    expect(result.text).toBe('The top song is Elemental Hotel.');
    expect(result.usage.totalTokens).toBe(30);
    expect(result.turns.map((t) => t.stopReason)).toEqual(['tool_use', 'end_turn']);
    const streamed = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
    expect(streamed).toBe('Let me look.The top song is Elemental Hotel.');
    expect(events.some((e) => e.type === 'tool-input-delta')).toBe(true);
    expectValidHistory(result.messages);
  });

  it('runs the calls of one turn in parallel and answers them in one user message, in call order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const slow: LocalTool['run'] = async (input) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, input['ms'] as number));
      inFlight--;
      return String(input['ms']);
    };
    const { result } = await loop(
      [reply([call('wait', { ms: 40 }, 'a'), call('wait', { ms: 5 }, 'b')], 'tool_use'), textTurn('done')],
      [tool('wait', slow)],
    );
    expect(maxInFlight).toBe(2);
    const answer = result.messages[2] as Message;
    expect(answer.role).toBe('user');
    expect(answer.content.map((b) => ('toolResult' in b ? b.toolResult.toolUseId : '?'))).toEqual(['a', 'b']);
  });

  it('answers invalid streamed tool input with an error result instead of crashing or running the tool', async () => {
    let ran = false;
    const { result } = await loop(
      [reply([call('top_song', '{"sign": "WZ')], 'tool_use'), textTurn('sorry')],
      [
        tool('top_song', async () => {
          ran = true;
          return 'x';
        }),
      ],
    );
    expect(ran).toBe(false);
    expect(result.toolCalls[0]?.status).toBe('invalid-input');
    expect(result.toolCalls[0]?.result.status).toBe('error');
    expectValidHistory(result.messages);
  });

  it('passes tool progress to loop listeners, and asks tools for none when nobody listens', async () => {
    const reported = tool('slow', async (_input, context) => {
      context.onProgress?.({ progress: 1, total: 2, message: 'half way' });
      return context.onProgress ? 'reported' : 'silent';
    });
    const heard = await loop([reply([call('slow', {})], 'tool_use'), textTurn('done')], [reported]);
    expect(heard.events).toContainEqual({
      type: 'tool-progress',
      toolUseId: 'id_slow',
      name: 'slow',
      progress: { progress: 1, total: 2, message: 'half way' },
    });
    expect(heard.result.toolCalls[0]?.result.content).toEqual([{ text: 'reported' }]);
    const unheard = await loop([reply([call('slow', {})], 'tool_use'), textTurn('done')], [reported], {
      onEvent: undefined,
    });
    expect(unheard.result.toolCalls[0]?.result.content).toEqual([{ text: 'silent' }]);
  });

  it('gives a hanging tool an error result when its timeout passes', async () => {
    const { result } = await loop(
      [reply([call('hang', {})], 'tool_use'), textTurn('it timed out')],
      [tool('hang', () => new Promise(() => {}))],
      { limits: { toolTimeoutMs: 50 } },
    );
    expect(result.toolCalls[0]?.status).toBe('error');
    expect(JSON.stringify(result.toolCalls[0]?.result.content)).toContain('did not answer within 50 ms');
    expect(result.text).toBe('it timed out');
  });

  it('stops on abort during a tool call with a history that is still valid', async () => {
    const controller = new AbortController();
    const pending = loop(
      [reply([call('hang', {})], 'tool_use'), textTurn('never')],
      [tool('hang', () => new Promise(() => {}))],
      {
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(), 20);
    const { result } = await pending;
    expect(result.stopReason).toBe('aborted');
    expectValidHistory(result.messages);
  });

  it('ends with max_turns and answers the calls it will not run', async () => {
    let runs = 0;
    const again = reply([call('count', {})], 'tool_use');
    const { result } = await loop([again, again, again], [tool('count', async () => String(++runs))], {
      limits: { maxTurns: 2 },
    });
    expect(result.stopReason).toBe('max_turns');
    expect(runs).toBe(1);
    expect(result.toolCalls.at(-1)?.status).toBe('not-run');
    expectValidHistory(result.messages);
  });

  it('ends with token_budget once the budget is spent', async () => {
    const again = reply([call('count', {})], 'tool_use');
    const { result } = await loop([again, again, again], [tool('count', async () => '1')], {
      limits: { maxTotalTokens: 20 },
    });
    expect(result.stopReason).toBe('token_budget');
    expect(result.turns).toHaveLength(2);
  });

  it('asks approval for destructive tools and tells the model about a denial', async () => {
    let cancelled = false;
    const asked: string[] = [];
    const { result } = await loop(
      [reply([call('cancel_order', { order_id: '37129' })], 'tool_use'), textTurn('ok, not cancelled')],
      [
        tool(
          'cancel_order',
          async () => {
            cancelled = true;
            return 'Cancelled the order';
          },
          { destructiveHint: true },
        ),
      ],
      {
        approve: async (req) => {
          asked.push(req.name);
          return { approved: false, reason: 'the customer changed their mind' };
        },
      },
    );
    expect(asked).toEqual(['cancel_order']);
    expect(cancelled).toBe(false);
    expect(result.toolCalls[0]?.status).toBe('denied');
    expect(JSON.stringify(result.toolCalls[0]?.result)).toContain('the customer changed their mind');
  });

  it('retries throttling before anything was shown', async () => {
    const throttled = Object.assign(new Error('Too many requests'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 429 },
    });
    const { result, events } = await loop([throttled, textTurn('fine')], []);
    expect(result.text).toBe('fine');
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
  });

  it('throws a typed error for a validation failure and keeps the history valid', async () => {
    const invalid = Object.assign(new Error('bad request'), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    const client = new ScriptedModelClient([invalid]);
    const messages: Message[] = [{ role: 'user', content: [{ text: 'hi' }] }];
    const run = runToolLoop(messages, { client, modelId: CLAUDE, toolset: new LocalToolset([]) });
    await expect(run).rejects.toMatchObject({ code: 'MODEL_VALIDATION' });
    await expect(run).rejects.toBeInstanceOf(ModelCallError);
    expect(messages).toHaveLength(1);
  });

  it(
    'uses prompt-based tool calling for Titan: tools in the first user ' +
      'turn, calls parsed from text, results as text',
    async () => {
      const { result, client } = await loop(
        [
          textTurn('Tool Call:\n[{"name": "top_song", "arguments": {"sign": "WZPZ"}}]'),
          textTurn('It is Elemental Hotel.'),
        ],
        [tool('top_song', async () => 'Elemental Hotel')],
        { modelId: 'amazon.titan-text-premier-v1:0', system: 'Be brief.' },
      );
      expect(result.text).toBe('It is Elemental Hotel.');
      const [first, second] = client.requests as [ConverseRequest, ConverseRequest];
      expect(first.toolConfig).toBeUndefined();
      expect(first.system).toBeUndefined();
      const opening = JSON.stringify(first.messages[0]);
      expect(opening).toContain('Be brief.');
      expect(opening).toContain('"name\\":\\"top_song\\"');
      expect(second.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
      expect(JSON.stringify(second.messages[2])).toContain('<tool_result name=\\"top_song\\" status=\\"success\\">');
      expectValidHistory(result.messages);
    },
  );

  it(
    'recovers Mistral Large positional text calls, sends ' + '9-character ids, and uses Converse for tool turns',
    async () => {
      const { result, client } = await loop(
        [textTurn('__["top_song", {"sign": "WZPZ"}]'), textTurn('Elemental Hotel.')],
        [tool('top_song', async () => 'Elemental Hotel')],
        { modelId: 'mistral.mistral-large-2407-v1:0' },
      );
      expect(result.toolCalls.map((c) => c.name)).toEqual(['top_song']);
      expect(result.turns.map((t) => t.mode)).toEqual(['converse', 'converse']);
      const second = client.requests[1] as ConverseRequest;
      const ids = JSON.stringify(second.messages).match(/"toolUseId":"([^"]+)"/g) ?? [];
      expect(ids).toHaveLength(2);
      for (const id of ids) expect(id).toMatch(/"toolUseId":"[a-zA-Z0-9]{9}"/);
    },
  );
});
