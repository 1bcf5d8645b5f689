/**
 * The chat prompt on a terminal: Node's readline for line editing and history, one interface per prompt (so
 * between prompts the terminal belongs to the answer), bracketed paste (a pasted block of lines is one message),
 * continuation lines (a line ending in "\"), Ctrl-C that clears the line or reports an interrupt, and
 * notices printed above the prompt instead of over it.
 */
import { emitKeypressEvents, createInterface, type Interface, type Key } from 'node:readline';
import { type ChatHistory, fromHistoryLine } from './history.js';

/** What one prompt produced. */
export type ReadResult =
  | { kind: 'line'; text: string }
  /** Ctrl-C; `cleared` when it only discarded what was typed. */
  | { kind: 'interrupt'; cleared: boolean }
  /** Ctrl-D on an empty line, or the input ended. */
  | { kind: 'eof' };

/** Reading prompts, approval answers and Ctrl-C; the TTY and the piped implementations share it. */
export interface ChatInput {
  /** Shows `prompt` (and `more` before continuation lines) and reads one message. */
  read(prompt: string, more: string): Promise<ReadResult>;
  /** One answer to a question (an approval); undefined when interrupted or at the end of input. */
  ask(question: string): Promise<string | undefined>;
  /** Until the returned function is called, Ctrl-C calls `onInterrupt` (a turn is running). */
  guard(onInterrupt: () => void): () => void;
  /** Prints a line without disturbing a prompt being edited. */
  notice(line: string): void;
  close(): void;
}

const BRACKETED_PASTE_ON = '\x1b[?2004h';
const BRACKETED_PASTE_OFF = '\x1b[?2004l';

/** The chat input for a TTY. */
export class TerminalInput implements ChatInput {
  private active: Interface | undefined;
  private guards = 0;

  constructor(
    private readonly input: NodeJS.ReadStream,
    private readonly output: NodeJS.WriteStream,
    private readonly history: ChatHistory,
  ) {
    emitKeypressEvents(input);
  }

  read(prompt: string, more: string): Promise<ReadResult> {
    return this.prompt(prompt, more, true);
  }

  async ask(question: string): Promise<string | undefined> {
    const result = await this.prompt(question, question, false);
    return result.kind === 'line' ? result.text : undefined;
  }

  private prompt(prompt: string, more: string, withHistory: boolean): Promise<ReadResult> {
    return new Promise((resolve) => {
      const rl = createInterface({
        input: this.input,
        output: this.output,
        terminal: true,
        prompt,
        // A copy: readline also records continuation lines, which are not entries of their own.
        history: withHistory ? [...this.history.entries] : [],
        historySize: withHistory ? 1000 : 0,
        removeHistoryDuplicates: true,
        tabSize: 4,
      });
      this.active = rl;
      const lines: string[] = [];
      let pasting = false;
      let done = false;
      const finish = (result: ReadResult): void => {
        if (done) return;
        done = true;
        this.input.off('keypress', onKey);
        this.output.write(BRACKETED_PASTE_OFF);
        this.active = undefined;
        rl.close();
        // An approval asked during a turn: the turn's Ctrl-C handling needs raw mode back.
        if (this.guards > 0) {
          this.input.setRawMode(true);
          this.input.resume();
        }
        if (result.kind === 'line' && withHistory) this.history.add(result.text);
        resolve(result);
      };
      // Runs before readline's own handler, so a line that ends inside a paste is known to continue.
      const onKey = (_text: string | undefined, key: Key | undefined): void => {
        if (key?.name === 'paste-start') pasting = true;
        else if (key?.name === 'paste-end') pasting = false;
      };
      this.input.prependListener('keypress', onKey);
      rl.on('line', (raw) => {
        const line = fromHistoryLine(raw);
        // Lines typed ahead before the prompt (the terminal was still in cooked mode) end in a line feed like
        // Ctrl-J would, so only a trailing backslash, or a paste, continues a message.
        const backslash = !pasting && line.endsWith('\\');
        if (pasting || backslash) {
          lines.push(backslash ? line.slice(0, -1) : line);
          rl.setPrompt(more);
          rl.prompt();
          return;
        }
        lines.push(line);
        finish({ kind: 'line', text: lines.join('\n') });
      });
      rl.on('SIGINT', () => {
        const cleared = rl.line !== '' || lines.length > 0;
        this.output.write(cleared ? '^C\n' : '\n');
        finish({ kind: 'interrupt', cleared });
      });
      rl.on('close', () => {
        if (!done) this.output.write('\n');
        finish({ kind: 'eof' });
      });
      this.output.write(BRACKETED_PASTE_ON);
      rl.prompt();
    });
  }

  guard(onInterrupt: () => void): () => void {
    // Raw mode keeps typed keys from echoing into the answer; Ctrl-C arrives as a key, not as a signal.
    this.input.setRawMode(true);
    this.input.resume();
    this.guards++;
    const onKey = (_text: string | undefined, key: Key | undefined): void => {
      if (key?.ctrl && key.name === 'c') onInterrupt();
    };
    this.input.on('keypress', onKey);
    return () => {
      this.guards--;
      this.input.off('keypress', onKey);
      if (!this.active) {
        this.input.setRawMode(false);
        this.input.pause();
      }
    };
  }

  notice(line: string): void {
    const rl = this.active;
    if (!rl) {
      this.output.write(`${line}\n`);
      return;
    }
    // Clear the prompt row, print above it, and redraw the prompt with what was typed so far.
    this.output.write(`\r\x1b[2K${line}\n`);
    rl.prompt(true);
  }

  close(): void {
    this.active?.close();
  }
}
