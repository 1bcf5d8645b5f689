/**
 * A finished message as the Anthropic API's server-sent events (docs/anthropic.md, "Streaming"): message_start,
 * ping, per block content_block_start, its deltas and content_block_stop, then message_delta and message_stop.
 * The events are written once the turn is complete (the loop calls the model without streaming).
 */
import type { AnthropicMessageResponse, ResponseBlock } from './from-converse.js';

const event = (name: string, data: object): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

/** The block as content_block_start announces it, and the deltas that fill it in. */
function blockEvents(block: ResponseBlock): { start: ResponseBlock; deltas: object[] } {
  switch (block.type) {
    case 'text':
      return { start: { ...block, text: '' }, deltas: [{ type: 'text_delta', text: block.text }] };
    case 'thinking':
      return {
        start: { ...block, thinking: '', signature: '' },
        deltas: [
          { type: 'thinking_delta', thinking: block.thinking },
          { type: 'signature_delta', signature: block.signature },
        ],
      };
    case 'tool_use':
    case 'server_tool_use':
      return {
        start: { ...block, input: {} } as ResponseBlock,
        deltas: [{ type: 'input_json_delta', partial_json: JSON.stringify(block.input) }],
      };
    default:
      return { start: block, deltas: [] };
  }
}

/** The whole stream of one message. */
export function messageEvents(message: AnthropicMessageResponse): string[] {
  const { content, stop_reason, stop_sequence, container, usage, ...rest } = message;
  const events = [
    event('message_start', {
      type: 'message_start',
      message: {
        ...rest,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        container: null,
        usage: { ...usage, output_tokens: 0 },
      },
    }),
    event('ping', { type: 'ping' }),
  ];
  content.forEach((block, index) => {
    const { start, deltas } = blockEvents(block);
    events.push(event('content_block_start', { type: 'content_block_start', index, content_block: start }));
    for (const delta of deltas)
      events.push(event('content_block_delta', { type: 'content_block_delta', index, delta }));
    events.push(event('content_block_stop', { type: 'content_block_stop', index }));
  });
  events.push(
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason, stop_sequence, stop_details: null, container },
      usage,
    }),
    event('message_stop', { type: 'message_stop' }),
  );
  return events;
}

/** An error after the stream began, as the Anthropic API sends it. */
export const errorEvent = (body: string): string => `event: error\ndata: ${body}\n\n`;
