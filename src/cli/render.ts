/**
 * Shows a running tool loop in a terminal: streamed text, each tool call with server, tool, an arguments
 * summary and its duration, a spinner while tools run (TTY only), and retries.
 */
import type { JsonValue, LoopEvent, ToolCallRecord } from '../../bridge/index.js';

export interface RenderTarget {
  write(text: string): unknown;
  isTTY?: boolean;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function summarize(value: JsonValue | undefined, max = 80): string {
  const text = JSON.stringify(value ?? {});
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function resultPreview(record: ToolCallRecord): string {
  const text = record.result.content
    .map((block) =>
      'text' in block ? block.text : 'json' in block ? JSON.stringify(block.json) : `[${Object.keys(block)[0]}]`,
    )
    .join(' ');
  return summarize(text.replace(/\s+/g, ' ').trim() as JsonValue, 100).replace(/^"|"$/g, '');
}

export class TerminalRenderer {
  private running = new Map<string, string>();
  private spinner: NodeJS.Timeout | undefined;
  private frame = 0;
  private midLine = false;

  constructor(
    private readonly text: RenderTarget,
    private readonly activity: RenderTarget,
    private readonly verbose = false,
  ) {}

  readonly onEvent = (event: LoopEvent): void => {
    switch (event.type) {
      case 'text-delta':
        this.clearSpinner();
        this.text.write(event.text);
        this.midLine = !event.text.endsWith('\n');
        break;
      case 'tool-call-start': {
        const label = event.server ? `${event.server} › ${event.tool ?? event.name}` : event.name;
        this.line(`→ ${label} ${summarize(event.input)}`);
        this.running.set(event.toolUseId, label);
        this.startSpinner();
        break;
      }
      case 'tool-call-end': {
        const { record } = event;
        const label = this.running.get(record.toolUseId) ?? record.name;
        this.running.delete(record.toolUseId);
        const ok = record.status === 'success';
        const mark = ok ? '✓' : '✗';
        const detail = ok && !this.verbose ? '' : `: ${resultPreview(record)}`;
        this.line(`${mark} ${label} (${Math.round(record.durationMs)} ms${ok ? '' : `, ${record.status}`})${detail}`);
        if (this.running.size === 0) this.stopSpinner();
        break;
      }
      case 'retry':
        this.line(
          `… ${event.error.context.serviceError ?? event.error.code}, retrying in ${Math.round(event.delayMs)} ms (attempt ${event.attempt + 1})`,
        );
        break;
      case 'warning':
        this.line(`! ${event.message}`);
        break;
      case 'history-repaired':
        if (this.verbose) this.line(`! history repaired: ${event.repairs.join('; ')}`);
        break;
      case 'turn-end':
        if (this.verbose) {
          const u = event.turn.usage;
          this.line(
            `· turn ${event.turn.turn}: ${event.turn.stopReason}, ${u.inputTokens} in / ${u.outputTokens} out, ${Math.round(u.latencyMs)} ms`,
          );
        }
        break;
      default:
        break;
    }
  };

  /** Writes a label such as `assistant › ` that the answer continues on the same line. */
  begin(label: string): void {
    this.text.write(label);
    this.midLine = true;
  }

  /** Ends the current text line so the next prompt or message starts cleanly. */
  endText(): void {
    this.stopSpinner();
    if (this.midLine) this.text.write('\n');
    this.midLine = false;
  }

  private line(text: string): void {
    this.clearSpinner();
    if (this.midLine && this.text === this.activity) this.activity.write('\n');
    else if (this.midLine) this.text.write('\n');
    this.midLine = false;
    this.activity.write(`  ${text}\n`);
    this.drawSpinner();
  }

  private startSpinner(): void {
    if (!this.activity.isTTY || this.spinner) return;
    this.spinner = setInterval(() => {
      this.frame = (this.frame + 1) % FRAMES.length;
      this.clearSpinner();
      this.drawSpinner();
    }, 80);
    this.spinner.unref();
  }

  private drawSpinner(): void {
    if (!this.spinner || this.running.size === 0) return;
    this.activity.write(`  ${FRAMES[this.frame]} running ${[...this.running.values()].join(', ')}`);
  }

  private clearSpinner(): void {
    if (this.spinner) this.activity.write('\r\x1b[2K');
  }

  private stopSpinner(): void {
    this.clearSpinner();
    clearInterval(this.spinner);
    this.spinner = undefined;
  }
}
