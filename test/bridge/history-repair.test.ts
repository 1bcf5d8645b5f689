import { describe, expect, it } from 'vitest';
import type { Message } from '../../bridge/converse/types.js';
import { INTERRUPTED_TOOL_TEXT, repairHistory } from '../../bridge/converse/history-repair.js';

const use = (id: string) => ({ toolUse: { toolUseId: id, name: 'top_song', input: { sign: 'WZPZ' } } });
const result = (id: string, text = 'ok') => ({
  toolResult: { toolUseId: id, content: [{ text }], status: 'success' as const },
});

describe('repairHistory', () => {
  it('leaves a valid history untouched', () => {
    const messages: Message[] = [
      { role: 'user', content: [{ text: 'hi' }] },
      { role: 'assistant', content: [{ text: 'looking' }, use('a')] },
      { role: 'user', content: [result('a')] },
      { role: 'assistant', content: [{ text: 'done' }] },
    ];
    expect(repairHistory(messages)).toEqual({ messages, repairs: [] });
  });

  it('merges consecutive same-role messages and drops empty text', () => {
    const { messages } = repairHistory([
      { role: 'user', content: [{ text: 'one' }] },
      { role: 'user', content: [{ text: '  ' }, { text: 'two' }] },
      { role: 'assistant', content: [{ text: '' }] },
    ]);
    expect(messages).toEqual([{ role: 'user', content: [{ text: 'one' }, { text: 'two' }] }]);
  });

  it('answers tool calls interrupted by a crash, so the history can be sent again', () => {
    const { messages, repairs } = repairHistory([
      { role: 'user', content: [{ text: 'hi' }] },
      { role: 'assistant', content: [use('a'), use('b')] },
      { role: 'user', content: [{ text: 'still there?' }, result('b')] },
    ]);
    expect(messages[2]).toEqual({
      role: 'user',
      content: [
        { toolResult: { toolUseId: 'a', content: [{ text: INTERRUPTED_TOOL_TEXT }], status: 'error' } },
        result('b'),
        { text: 'still there?' },
      ],
    });
    expect(repairs.length).toBeGreaterThan(0);
  });

  it('answers calls left at the very end of the history', () => {
    const { messages } = repairHistory([
      { role: 'user', content: [{ text: 'hi' }] },
      { role: 'assistant', content: [use('a')] },
    ]);
    expect(messages).toHaveLength(3);
    expect(messages[2]?.content[0]).toMatchObject({ toolResult: { toolUseId: 'a', status: 'error' } });
  });

  it('turns results that answer no call into text and puts text before tool calls', () => {
    const { messages } = repairHistory([
      { role: 'user', content: [result('ghost', 'lost value')] },
      { role: 'assistant', content: [use('a'), { text: 'calling' }] },
      { role: 'user', content: [result('a')] },
    ]);
    expect(messages[0]?.content).toEqual([{ text: '(result of an earlier tool call ghost) lost value' }]);
    expect(messages[1]?.content).toEqual([{ text: 'calling' }, use('a')]);
  });

  it('starts with a user turn', () => {
    const { messages } = repairHistory([{ role: 'assistant', content: [{ text: 'hello' }] }]);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });
});
