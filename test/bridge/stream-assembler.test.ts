import { describe, expect, it } from 'vitest';
import type { ConverseStreamEvent } from '../../bridge/converse/types.js';
import { StreamAssembler, parseToolInput } from '../../bridge/converse/stream-assembler.js';

const usage = { inputTokens: 12, outputTokens: 5, totalTokens: 17 };

function assemble(events: ConverseStreamEvent[]) {
  const assembler = new StreamAssembler();
  for (const event of events) assembler.push(event);
  return assembler.finish();
}

describe('StreamAssembler', () => {
  it('rebuilds text (no contentBlockStart, as Bedrock streams it) and a tool call from JSON fragments', () => {
    const turn = assemble([
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Let me ' } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'check.' } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_a', name: 'top_song' } } } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"si' } } } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: 'gn": "WZPZ"}' } } } },
      { contentBlockStop: { contentBlockIndex: 1 } },
      { messageStop: { stopReason: 'tool_use' } },
      { metadata: { usage, metrics: { latencyMs: 40 } } },
    ]);
    expect(turn).toEqual({
      response: {
        output: {
          message: {
            role: 'assistant',
            content: [
              { text: 'Let me check.' },
              { toolUse: { toolUseId: 'tooluse_a', name: 'top_song', input: { sign: 'WZPZ' } } },
            ],
          },
        },
        stopReason: 'tool_use',
        usage,
        metrics: { latencyMs: 40 },
      },
      invalidToolInputs: [],
    });
  });

  it('treats an empty streamed input as {} (zero-argument tools)', () => {
    const turn = assemble([
      { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 't1', name: 'current_time' } } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'tool_use' } },
    ]);
    expect(turn.response.output.message.content).toEqual([
      { toolUse: { toolUseId: 't1', name: 'current_time', input: {} } },
    ]);
    expect(turn.invalidToolInputs).toEqual([]);
  });

  it('reports bad JSON input instead of throwing, and keeps a valid object in history', () => {
    const turn = assemble([
      { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 't1', name: 'calculator' } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{"expression": "9*8"' } } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
    ]);
    expect(turn.response.output.message.content).toEqual([
      { toolUse: { toolUseId: 't1', name: 'calculator', input: {} } },
    ]);
    expect(turn.invalidToolInputs).toHaveLength(1);
    expect(turn.invalidToolInputs[0]).toMatchObject({
      toolUseId: 't1',
      name: 'calculator',
      rawInput: '{"expression": "9*8"',
    });
    expect(turn.invalidToolInputs[0]?.reason).toMatch(/not valid JSON/);
  });

  it('keeps reasoning text and signature for replay (Claude thinking)', () => {
    const turn = assemble([
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'Think' } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { signature: 'sig' } } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { text: 'Done' } } },
      { contentBlockStop: { contentBlockIndex: 1 } },
    ]);
    expect(turn.response.output.message.content).toEqual([
      { reasoningContent: { reasoningText: { text: 'Think', signature: 'sig' } } },
      { text: 'Done' },
    ]);
  });

  it('rejects non-object tool input, which Bedrock would refuse on replay', () => {
    expect(parseToolInput('[1,2]')).toEqual({ ok: false, reason: 'tool input must be a JSON object' });
    expect(parseToolInput('  ')).toEqual({ ok: true, value: {} });
  });
});
