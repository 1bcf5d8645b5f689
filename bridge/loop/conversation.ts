/**
 * A conversation that lasts beyond one prompt (chat, saved sessions): it keeps the history and the usage, and
 * runs the tool loop for each new user message.
 */
import type { ContentBlock, Message } from '../converse/types.js';
import { runToolLoop } from './tool-loop.js';
import type { LoopEvent, ToolLoopOptions, ToolLoopResult, TurnUsage } from './types.js';
import { addUsage, emptyUsage } from './usage.js';

/** Per-message options of `Conversation.send`, over the conversation's own. */
export interface SendOptions {
  signal?: AbortSignal;
  onEvent?: (event: LoopEvent) => void;
}

/**
 * A conversation across prompts (a chat, a saved session): it keeps the history and the usage, and runs the
 * tool loop for each new user message with the same options.
 *
 * @example
 * ```ts source="./tool-loop.examples.ts#Conversation_chat"
 * const chat = new Conversation({
 *   client: new BedrockModelClient({ region: 'us-east-1' }),
 *   modelId: 'us.amazon.nova-pro-v1:0',
 *   toolset: new HubToolset(hub),
 * });
 * await chat.send('Which orders does customer 678902 have?');
 * const reply = await chat.send('Which of them shipped?');
 * console.log(reply.text, chat.usage.totalTokens);
 * ```
 */
export class Conversation {
  /** The history so far, valid to send again. */
  readonly messages: Message[];
  /** Usage summed over every `send`. */
  readonly usage: TurnUsage;

  constructor(
    readonly options: ToolLoopOptions,
    saved: { messages?: Message[]; usage?: TurnUsage } = {},
  ) {
    this.messages = saved.messages ? [...saved.messages] : [];
    this.usage = saved.usage ? { ...saved.usage } : emptyUsage();
  }

  /** Adds a user message and runs the loop. Model errors are thrown; the history stays valid either way. */
  async send(input: string | ContentBlock[], options: SendOptions = {}): Promise<ToolLoopResult> {
    const content = typeof input === 'string' ? [{ text: input }] : input;
    this.messages.push({ role: 'user', content });
    const onEvent = options.onEvent ?? this.options.onEvent;
    const result = await runToolLoop(this.messages, {
      ...this.options,
      ...(options.signal && { signal: options.signal }),
      ...(onEvent && { onEvent }),
    });
    addUsage(this.usage, result.usage);
    return result;
  }

  /** Forgets the history and the usage. */
  reset(): void {
    this.messages.length = 0;
    Object.assign(this.usage, emptyUsage());
  }
}
