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

/** A response that ends the turn with `text`. */
export function textTurn(text: string): ConverseResponse {
  return reply([{ text }], 'end_turn');
}

/** A response with these blocks and stop reason (and small fixed usage). */
export function reply(content: ContentBlock[], stopReason: ConverseResponse['stopReason']): ConverseResponse {
  return {
    output: { message: { role: 'assistant', content } },
    stopReason,
    usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
    metrics: { latencyMs: 1 },
  };
}

/**
 * A `ModelClient` that answers from a script, one entry per model call, for unit tests of code that runs the
 * loop: a response, an error to throw, or a function of the request. Streams are cut from the response the way
 * Bedrock cuts them. Every request is kept in `requests`.
 *
 * @example
 * ```ts source="./scripted-model-client.examples.ts#ScriptedModelClient_test"
 * const client = new ScriptedModelClient([
 *   reply([{ toolUse: { toolUseId: 't1', name: 'add', input: { a: 2, b: 3 } } }], 'tool_use'),
 *   (request) => textTurn(`The tool said ${JSON.stringify(request.messages.at(-1)?.content)}`),
 * ]);
 * const toolset = new LocalToolset([
 *   {
 *     name: 'add',
 *     description: 'Adds two numbers.',
 *     inputSchema: { type: 'object' },
 *     run: async (i) => `${Number(i['a']) + Number(i['b'])}`,
 *   },
 * ]);
 * const result = await runToolLoop('What is 2 + 3?', { client, modelId: 'us.amazon.nova-pro-v1:0', toolset });
 * console.log(result.toolCalls[0]?.status, client.requests.length); // success 2
 * ```
 */
export class ScriptedModelClient implements ModelClient {
  /** Every request received, copied as it was sent. */
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

  /** The next scripted turn. */
  async converse(request: ConverseRequest, options: ModelCallOptions = {}): Promise<ConverseResponse> {
    options.signal?.throwIfAborted();
    return this.answer(request);
  }

  /** The next scripted turn as ConverseStream events. */
  async *converseStream(request: ConverseRequest, options: ModelCallOptions = {}): AsyncIterable<ConverseStreamEvent> {
    options.signal?.throwIfAborted();
    for (const event of streamEventsOf(this.answer(request))) {
      options.signal?.throwIfAborted();
      yield event;
    }
  }
}
