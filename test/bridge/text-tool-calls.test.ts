import { describe, expect, it } from 'vitest';
import { parseTextToolCalls } from '../../bridge/converse/text-tool-calls.js';

const known = new Set(['CountLettersTool', 'CalculatorTool', 'count_letters']);

describe('parseTextToolCalls: the Charlie sample outcomes (docs/fixtures.md)', () => {
  it('reads the prompt-based "Tool Call:" array and drops the label', () => {
    const text =
      'I will count them.\nTool Call:\n[{"name": "CountLettersTool", ' +
      '"arguments": {"word": "strawberry", "letter": "r"}}]';
    expect(parseTextToolCalls(text, known)).toEqual({
      calls: [{ name: 'CountLettersTool', input: { word: 'strawberry', letter: 'r' } }],
      text: 'I will count them.',
    });
  });

  it('ignores a junk prefix on the call line (Mistral "omitempty")', () => {
    const text = 'omitempty [{"name": "CountLettersTool", "arguments": {"word": "hello", "letter": "l"}}]';
    expect(parseTextToolCalls(text, known)).toEqual({
      calls: [{ name: 'CountLettersTool', input: { word: 'hello', letter: 'l' } }],
      text: '',
    });
  });

  it('reads Mistral positional calls, single and listed', () => {
    expect(parseTextToolCalls('__["count_letters", {"word": "strawberry", "letter": "r"}]', known)?.calls).toEqual([
      { name: 'count_letters', input: { word: 'strawberry', letter: 'r' } },
    ]);
    expect(
      parseTextToolCalls(
        '__[["count_letters", {"word": "a", "letter": "p"}], ["count_letters", {"word": "a", "letter": "e"}]]',
        known,
      )?.calls,
    ).toEqual([
      { name: 'count_letters', input: { word: 'a', letter: 'p' } },
      { name: 'count_letters', input: { word: 'a', letter: 'e' } },
    ]);
  });

  it('reads Titan\'s {"tool": …} variant', () => {
    const text = '[{"tool": "CalculatorTool", "arguments": {"expr": "3111696 / 74088"}}]';
    expect(parseTextToolCalls(text, known)?.calls).toEqual([
      { name: 'CalculatorTool', input: { expr: '3111696 / 74088' } },
    ]);
  });

  it('reads a pretty-printed array of two calls', () => {
    const text =
      'Tool Call:\n[\n  {\n    "name": "count_letters",\n    "arguments": {"word": "pp", "letter": "p"}\n  ' +
      '},\n  {"name": "count_letters", "arguments": {"word": "ee", "letter": "e"}}\n]';
    expect(parseTextToolCalls(text, known)?.calls.map((c) => c.input['letter'])).toEqual(['p', 'e']);
  });

  it('keeps prose after the call and tolerates a trailing bracketed aside', () => {
    const parsed = parseTextToolCalls(
      '[{"name": "CalculatorTool", "arguments": {"expr": "1+1"}}] then I will answer [1]',
      known,
    );
    expect(parsed).toEqual({
      calls: [{ name: 'CalculatorTool', input: { expr: '1+1' } }],
      text: 'then I will answer [1]',
    });
  });

  it('accepts whitespace after the brace and double-encoded arguments', () => {
    const parsed = parseTextToolCalls(
      '[{ "name": "count_letters", "arguments": "{\\"word\\": \\"x\\", \\"letter\\": \\"x\\"}" }]',
      known,
    );
    expect(parsed?.calls).toEqual([{ name: 'count_letters', input: { word: 'x', letter: 'x' } }]);
  });

  it('never executes a name we did not send, and leaves such text alone', () => {
    expect(parseTextToolCalls('[{"name": "rm_rf", "arguments": {}}]', known)).toBeUndefined();
    expect(parseTextToolCalls('__["rm_rf", {"path": "/"}]', known)).toBeUndefined();
    // One unknown element poisons the whole array: partial execution would surprise the model.
    expect(
      parseTextToolCalls('[{"name": "count_letters", "arguments": {}}, {"name": "nope", "arguments": {}}]', known),
    ).toBeUndefined();
  });

  it('leaves ordinary prose and broken JSON as text', () => {
    expect(parseTextToolCalls('The answer is [1, 2, 3].', known)).toBeUndefined();
    expect(parseTextToolCalls('[{"name": "count_letters", "arguments": {"word": ', known)).toBeUndefined();
  });
});
