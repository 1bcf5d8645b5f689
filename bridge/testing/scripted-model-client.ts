/**
 * A `ModelClient` that answers from a script, beside the port it implements: for unit tests of code above the
 * port and for examples. Streams are cut from the scripted response the way Bedrock cuts them (text in small
 * deltas, tool input as JSON fragments), so stream handling is exercised for real. Wire-level behaviour
 * (validation, errors, framing) is the emulator's job, not this class's.
 */
import type { ContentBlock, ConverseRequest, ConverseResponse, ConverseStreamEvent } from '../converse/types.js';
import type { ModelCallOptions, ModelClient } from '../model/model-client.js';
import { streamEventsOf } from '../converse/stream-events.js';

/** One scripted turn: a response, a function of the request, or an error to throw. */
export type ScriptedTurn = ConverseResponse | Error | ((request: ConverseRequest) => ConverseResponse | Error);

export function textTurn(text: string): ConverseResponse {
  return reply([{ text }], 'end_turn');
}

export function reply(content: ContentBlock[], stopReason: ConverseResponse['stopReason']): ConverseResponse {
  return {
    output: { message: { role: 'assistant', content } },
    stopReason,
    usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
    metrics: { latencyMs: 1 },
  };
}

export class ScriptedModelClient implements ModelClient {
  readonly requests: ConverseRequest[] = [];
  private next = 0;

  constructor(private readonly turns: readonly ScriptedTurn[]) {}

  private answer(request: ConverseRequest): ConverseResponse {
    this.requests.push(structuredClone(request));
    const turn = this.turns[this.next++];
    if (turn === undefined) throw new Error(`script has no turn ${this.next} (it holds ${this.turns.length})`);
    const result = typeof turn === 'function' ? turn(request) : turn;
    if (result instanceof Error) throw result;
    return result;
  }

  async converse(request: ConverseRequest, options: ModelCallOptions = {}): Promise<ConverseResponse> {
    options.signal?.throwIfAborted();
    return this.answer(request);
  }

  async *converseStream(request: ConverseRequest, options: ModelCallOptions = {}): AsyncIterable<ConverseStreamEvent> {
    options.signal?.throwIfAborted();
    for (const event of streamEventsOf(this.answer(request))) {
      options.signal?.throwIfAborted();
      yield event;
    }
  }
}
