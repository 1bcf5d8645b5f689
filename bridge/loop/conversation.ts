/**
 * A conversation that lasts beyond one prompt (chat, saved sessions): it keeps the history and the usage, and
 * runs the tool loop for each new user message.
 */
import type { ContentBlock, Message } from '../converse/types.js';
import { runToolLoop } from './tool-loop.js';
import type { LoopEvent, ToolLoopOptions, ToolLoopResult, TurnUsage } from './types.js';
import { addUsage, emptyUsage } from './usage.js';

export interface SendOptions {
  signal?: AbortSignal;
  onEvent?: (event: LoopEvent) => void;
}

export class Conversation {
  readonly messages: Message[];
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

  reset(): void {
    this.messages.length = 0;
    Object.assign(this.usage, emptyUsage());
  }
}
