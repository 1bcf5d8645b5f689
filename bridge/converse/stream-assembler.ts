/**
 * Assembles ConverseStream events into the assistant message Converse would have returned.
 * Tool input arrives as JSON string fragments per content block; it is parsed once, at contentBlockStop.
 */
import type {
  ContentBlock,
  ConverseResponse,
  ConverseStreamEvent,
  JsonValue,
  StopReason,
  TokenUsage,
} from './types.js';

/** A streamed toolUse whose input was not valid JSON: the loop answers it with an error result. */
export interface InvalidToolInput {
  toolUseId: string;
  name: string;
  rawInput: string;
  reason: string;
}

/** A streamed turn assembled: the response Converse would have returned, and the tool inputs that were not JSON. */
export interface AssembledTurn {
  response: ConverseResponse;
  invalidToolInputs: InvalidToolInput[];
}

type OpenBlock =
  | { kind: 'text'; text: string }
  | { kind: 'toolUse'; toolUseId: string; name: string; input: string }
  | { kind: 'reasoning'; text: string; signature?: string };

const EMPTY_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

/** Parses assembled tool input: empty means "no arguments" (zero-arg tools stream nothing). */
export function parseToolInput(raw: string): { ok: true; value: JsonValue } | { ok: false; reason: string } {
  if (raw.trim() === '') return { ok: true, value: {} };
  try {
    const value = JSON.parse(raw) as JsonValue;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, reason: 'tool input must be a JSON object' };
    }
    return { ok: true, value };
  } catch (error) {
    return { ok: false, reason: `tool input is not valid JSON (${(error as Error).message})` };
  }
}

/** Collects ConverseStream events (`push`) into the response Converse would have returned (`finish`). */
export class StreamAssembler {
  private readonly blocks = new Map<number, OpenBlock>();
  private readonly finished: { index: number; block: ContentBlock }[] = [];
  private readonly invalid: InvalidToolInput[] = [];
  private stopReason: StopReason | undefined;
  private usage: TokenUsage = EMPTY_USAGE;
  private latencyMs = 0;

  push(event: ConverseStreamEvent): void {
    if ('contentBlockStart' in event) {
      const { contentBlockIndex, start } = event.contentBlockStart;
      this.blocks.set(contentBlockIndex, {
        kind: 'toolUse',
        toolUseId: start.toolUse.toolUseId,
        name: start.toolUse.name,
        input: '',
      });
    } else if ('contentBlockDelta' in event) {
      this.applyDelta(event.contentBlockDelta.contentBlockIndex, event.contentBlockDelta.delta);
    } else if ('contentBlockStop' in event) {
      this.close(event.contentBlockStop.contentBlockIndex);
    } else if ('messageStop' in event) {
      this.stopReason = event.messageStop.stopReason;
    } else if ('metadata' in event) {
      this.usage = event.metadata.usage;
      this.latencyMs = event.metadata.metrics.latencyMs;
    }
  }

  /** True once any content has been seen; retrying after this point would replay output. */
  get hasContent(): boolean {
    return this.blocks.size > 0 || this.finished.length > 0;
  }

  finish(): AssembledTurn {
    // Real streams stop every block before messageStop; close leftovers anyway so nothing is lost.
    for (const index of [...this.blocks.keys()]) this.close(index);
    const content = this.finished.sort((a, b) => a.index - b.index).map((f) => f.block);
    return {
      response: {
        output: { message: { role: 'assistant', content } },
        stopReason: this.stopReason ?? 'end_turn',
        usage: this.usage,
        metrics: { latencyMs: this.latencyMs },
      },
      invalidToolInputs: this.invalid,
    };
  }

  private applyDelta(
    index: number,
    delta: Extract<ConverseStreamEvent, { contentBlockDelta: unknown }>['contentBlockDelta']['delta'],
  ): void {
    const open = this.blocks.get(index);
    if ('text' in delta) {
      if (open?.kind === 'text') open.text += delta.text;
      else this.blocks.set(index, { kind: 'text', text: delta.text });
    } else if ('toolUse' in delta) {
      if (open?.kind === 'toolUse') open.input += delta.toolUse.input;
    } else if ('reasoningContent' in delta) {
      const reasoning = open?.kind === 'reasoning' ? open : { kind: 'reasoning' as const, text: '' };
      reasoning.text += delta.reasoningContent.text ?? '';
      if (delta.reasoningContent.signature !== undefined) reasoning.signature = delta.reasoningContent.signature;
      this.blocks.set(index, reasoning);
    }
  }

  private close(index: number): void {
    const open = this.blocks.get(index);
    if (!open) return;
    this.blocks.delete(index);
    if (open.kind === 'text') {
      this.finished.push({ index, block: { text: open.text } });
    } else if (open.kind === 'reasoning') {
      const reasoningText =
        open.signature === undefined ? { text: open.text } : { text: open.text, signature: open.signature };
      this.finished.push({ index, block: { reasoningContent: { reasoningText } } });
    } else {
      const parsed = parseToolInput(open.input);
      if (!parsed.ok) {
        this.invalid.push({ toolUseId: open.toolUseId, name: open.name, rawInput: open.input, reason: parsed.reason });
      }
      // Keep the block with an object input so the replayed history stays valid for Bedrock.
      const input = parsed.ok ? parsed.value : {};
      this.finished.push({ index, block: { toolUse: { toolUseId: open.toolUseId, name: open.name, input } } });
    }
  }
}
