/**
 * Streams an answer to the terminal as rendered markdown (marked + marked-terminal): text is held until a block
 * is complete (a blank line outside a code fence), then that block is rendered and written; `flush` renders the
 * rest. Without colour (NO_COLOR) the rendering keeps its layout and drops every escape code.
 */
import { stripVTControlCharacters } from 'node:util';

/** Markdown text → terminal text. */
export type MarkdownRenderer = (markdown: string) => string;

/** A marked-terminal renderer sized to the terminal. Loaded only for a chat on a TTY. */
export async function markdownRenderer(columns: number, color: boolean): Promise<MarkdownRenderer> {
  const [{ Marked }, { markedTerminal }] = await Promise.all([import('marked'), import('marked-terminal')]);
  const marked = new Marked();
  marked.use(markedTerminal({ width: Math.max(40, columns - 2), reflowText: false, tab: 2 }) as never);
  return (markdown) => {
    const rendered = marked.parse(markdown, { async: false }) as string;
    return color ? rendered : stripVTControlCharacters(rendered);
  };
}

/** A render target that buffers markdown and writes it block by block. */
export class MarkdownStream {
  private buffer = '';
  private wroteBlock = false;
  private endsMidLine = false;

  constructor(
    private readonly out: { write(text: string): unknown },
    private readonly render: MarkdownRenderer,
  ) {}

  /** True when what was written last did not end a line (the renderer adds the newline). */
  get midLine(): boolean {
    return this.endsMidLine;
  }

  /** Writes a label such as `assistant › ` as it is. */
  writeRaw(text: string): void {
    this.out.write(text);
    this.endsMidLine = !text.endsWith('\n');
    this.wroteBlock = false;
  }

  write(text: string): void {
    this.buffer += text;
    const end = completeBlocksEnd(this.buffer);
    if (end > 0) {
      this.emit(this.buffer.slice(0, end));
      this.buffer = this.buffer.slice(end);
    }
  }

  flush(): void {
    if (this.buffer.trim() !== '') this.emit(this.buffer);
    this.buffer = '';
    this.wroteBlock = false;
  }

  private emit(markdown: string): void {
    const rendered = this.render(markdown).replace(/\n+$/, '');
    if (rendered.trim() === '') return;
    this.out.write(`${this.wroteBlock ? '\n\n' : ''}${rendered.replace(/^\n+/, '')}`);
    this.wroteBlock = true;
    this.endsMidLine = true;
  }
}

/** Where the last complete block ends: after the last blank line that is not inside an open ``` fence. */
function completeBlocksEnd(text: string): number {
  let end = 0;
  let inFence = false;
  let offset = 0;
  for (const line of text.split('\n')) {
    const next = offset + line.length + 1;
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    else if (!inFence && line.trim() === '' && next <= text.length) end = next;
    offset = next;
  }
  return end;
}
