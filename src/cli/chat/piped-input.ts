/**
 * The chat input when stdin is not a terminal (a script piped in), on the CLI's LineReader: lines are queued as
 * they arrive, so prompts and "y"/"n" answers are consumed in order. A line ending in "\\" continues on the next.
 * Ctrl-C (SIGINT) interrupts a running turn.
 */
import { LineReader } from '../line-reader.js';
import type { ChatInput, ReadResult } from './terminal-input.js';

/** The chat input for piped stdin. */
export class PipedInput implements ChatInput {
  private readonly reader: LineReader;

  constructor(
    input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
  ) {
    this.reader = new LineReader(input, output);
  }

  async read(prompt: string, more: string): Promise<ReadResult> {
    const lines: string[] = [];
    for (let ask = prompt; ; ask = more) {
      const line = await this.reader.ask(ask);
      if (line === undefined) return lines.length > 0 ? { kind: 'line', text: lines.join('\n') } : { kind: 'eof' };
      if (!line.endsWith('\\')) {
        lines.push(line);
        return { kind: 'line', text: lines.join('\n') };
      }
      lines.push(line.slice(0, -1));
    }
  }

  ask(question: string): Promise<string | undefined> {
    return this.reader.ask(question);
  }

  guard(onInterrupt: () => void): () => void {
    process.on('SIGINT', onInterrupt);
    return () => process.off('SIGINT', onInterrupt);
  }

  notice(line: string): void {
    this.output.write(`${line}\n`);
  }

  close(): void {
    this.reader.close();
  }
}
