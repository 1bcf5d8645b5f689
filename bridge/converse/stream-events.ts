/**
 * A Converse response as the ConverseStream events Bedrock would send for it: what a proxy answering a streaming
 * client from a non-streaming call sends (the gateway), and what scripted test clients stream.
 */
import type { ConverseResponse, ConverseStreamEvent } from './types.js';

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

/**
 * The events ConverseStream would send for `response`: text in small deltas and tool input as JSON fragments, the
 * way Bedrock cuts them, then `messageStop` and `metadata` with the response's usage.
 *
 * @example
 * ```ts
 * for (const event of streamEventsOf(response)) writeFrame(event);
 * ```
 */
export function* streamEventsOf(response: ConverseResponse): Generator<ConverseStreamEvent> {
  yield { messageStart: { role: 'assistant' } };
  let index = 0;
  for (const block of response.output.message.content) {
    const contentBlockIndex = index++;
    if ('text' in block) {
      for (const text of chunks(block.text, 8)) yield { contentBlockDelta: { contentBlockIndex, delta: { text } } };
    } else if ('toolUse' in block) {
      const { toolUseId, name, input } = block.toolUse;
      yield { contentBlockStart: { contentBlockIndex, start: { toolUse: { toolUseId, name } } } };
      const json = typeof input === 'string' ? input : JSON.stringify(input);
      for (const fragment of chunks(json, 16))
        yield { contentBlockDelta: { contentBlockIndex, delta: { toolUse: { input: fragment } } } };
    } else {
      continue;
    }
    yield { contentBlockStop: { contentBlockIndex } };
  }
  yield { messageStop: { stopReason: response.stopReason } };
  yield { metadata: { usage: response.usage, metrics: response.metrics } };
}
