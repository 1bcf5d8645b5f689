/**
 * Shows a running tool loop in a terminal: streamed text, each tool call with server, tool, an arguments
 * summary and its duration, a spinner while tools run (TTY only, one line that fits the terminal), denied calls
 * as denied, and retries.
 */
import type { ApprovalDecision, ApprovalRequest, JsonValue, LoopEvent, ToolCallRecord } from '../../bridge/index.js';
import { type Style, styleFor } from './style.js';

/** Where the renderer writes: a stream, or the chat's markdown renderer (which buffers until `flush`). */
export interface RenderTarget {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
  /** Writes out whatever is buffered (a markdown block in progress). */
  flush?(): void;
  /** Writes text as it is, past any buffering (a label). */
  writeRaw?(text: string): void;
  /** For buffering targets: whether their output so far ends mid-line. */
  readonly midLine?: boolean;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** JSON of `value`, cut to `max` characters. */
export function summarize(value: JsonValue | undefined, max = 80): string {
  return clip(JSON.stringify(value ?? {}), max);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A tool result as one readable line: text as it is (not re-encoded as a JSON string), JSON compact. */
export function resultPreview(record: ToolCallRecord, max = 100): string {
  const text = record.result.content
    .map((block) =>
      'text' in block ? block.text : 'json' in block ? JSON.stringify(block.json) : `[${Object.keys(block)[0]}]`,
    )
    .join(' ');
  return clip(text.replace(/\s+/g, ' ').trim(), max);
}

/** "a, b ×3" for the spinner: each running tool once, with a count when it runs several times. */
function runningSummary(labels: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(([label, n]) => (n > 1 ? `${label} ×${n}` : label)).join(', ');
}

/** Renders loop events to a text target (the answer) and an activity target (tool lines, spinner). */
export class TerminalRenderer {
  private running = new Map<string, string>();
  private denied = new Map<string, string>();
  private spinner: NodeJS.Timeout | undefined;
  private spinnerShown = false;
  private frame = 0;
  private midLine = false;
  private readonly style: Style;

  constructor(
    private readonly text: RenderTarget,
    private readonly activity: RenderTarget,
    private readonly verbose = false,
    style?: Style,
  ) {
    this.style = style ?? styleFor(activity);
  }

  /**
   * Wraps an approval callback so that a call it denies is shown as denied (it never ran) rather than with
   * the `→` of a call that starts.
   */
  approvals(
    approve: (request: ApprovalRequest) => Promise<ApprovalDecision>,
  ): (request: ApprovalRequest) => Promise<ApprovalDecision> {
    return async (request) => {
      this.clearSpinner();
      const decision = await approve(request);
      const approved = typeof decision === 'boolean' ? decision : decision.approved;
      if (!approved) {
        const reason = typeof decision === 'boolean' ? undefined : decision.reason;
        this.denied.set(request.toolUseId, reason ?? 'not approved');
      }
      return decision;
    };
  }

  /** Runs `work` (a question to the user) with the spinner stopped; it runs again after while tools still run. */
  async whileAsking<T>(work: () => Promise<T>): Promise<T> {
    this.stopSpinner();
    try {
      return await work();
    } finally {
      if (this.running.size > 0) this.startSpinner();
    }
  }

  readonly onEvent = (event: LoopEvent): void => {
    switch (event.type) {
      case 'text-delta':
        this.clearSpinner();
        this.text.write(event.text);
        this.midLine = !event.text.endsWith('\n');
        break;
      case 'tool-call-start': {
        const label = event.server ? `${event.server} › ${event.tool ?? event.name}` : event.name;
        const denial = this.denied.get(event.toolUseId);
        if (denial !== undefined) {
          this.line(this.style.yellow(`⊘ ${label} ${summarize(event.input)} denied: ${denial}`));
          break;
        }
        this.running.set(event.toolUseId, label);
        this.startSpinner();
        this.line(`${this.style.cyan('→')} ${label} ${this.style.dim(summarize(event.input))}`);
        break;
      }
      case 'tool-call-end': {
        const { record } = event;
        if (this.denied.delete(record.toolUseId)) break;
        const label = this.running.get(record.toolUseId) ?? record.name;
        this.running.delete(record.toolUseId);
        const ok = record.status === 'success';
        const mark = ok ? this.style.green('✓') : this.style.red('✗');
        const detail = ok && !this.verbose ? '' : `: ${resultPreview(record)}`;
        this.line(`${mark} ${label} (${Math.round(record.durationMs)} ms${ok ? '' : `, ${record.status}`})${detail}`);
        if (this.running.size === 0) this.stopSpinner();
        break;
      }
      case 'retry':
        this.line(
          this.style.yellow(
            `… ${event.error.context.serviceError ?? event.error.code}, retrying ` +
              `in ${Math.round(event.delayMs)} ms (attempt ${event.attempt + 1})`,
          ),
        );
        break;
      case 'warning':
        this.line(this.style.yellow(`! ${event.message}`));
        break;
      case 'history-repaired':
        if (this.verbose) this.line(this.style.dim(`! history repaired: ${event.repairs.join('; ')}`));
        break;
      case 'turn-end':
        if (this.verbose) {
          const u = event.turn.usage;
          this.line(
            this.style.dim(
              `· turn ${event.turn.turn}: ${event.turn.stopReason}, ${u.inputTokens} in ` +
                `/ ${u.outputTokens} out, ${Math.round(u.latencyMs)} ms`,
            ),
          );
        }
        break;
      default:
        break;
    }
  };

  /** Writes a label such as `assistant › ` that the answer continues on the same line. */
  begin(label: string): void {
    if (this.text.writeRaw) this.text.writeRaw(label);
    else this.text.write(label);
    this.midLine = true;
  }

  /** Flushes a buffering text target and learns whether its output ends mid-line. */
  private flushText(): void {
    if (!this.text.flush) return;
    this.text.flush();
    this.midLine = this.text.midLine ?? this.midLine;
  }

  /** Ends the current text line so the next prompt or message starts cleanly. */
  endText(): void {
    this.stopSpinner();
    this.flushText();
    if (this.midLine) (this.text.writeRaw ?? this.text.write).call(this.text, '\n');
    this.midLine = false;
    this.running.clear();
    this.denied.clear();
  }

  /** A line of activity between answer text, with the spinner (if any) redrawn below it. */
  line(text: string): void {
    this.clearSpinner();
    this.flushText();
    if (this.midLine && this.text === this.activity) this.activity.write('\n');
    else if (this.midLine) (this.text.writeRaw ?? this.text.write).call(this.text, '\n');
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
    // One row, never wider than the terminal: a wrapped spinner leaves rows that `\r` cannot clear.
    const width = Math.max(20, (this.activity.columns ?? 80) - 1);
    this.activity.write(
      this.style.dim(clip(`  ${FRAMES[this.frame]} running ${runningSummary(this.running.values())}`, width)),
    );
    this.spinnerShown = true;
  }

  private clearSpinner(): void {
    if (!this.spinnerShown) return;
    this.activity.write('\r\x1b[2K');
    this.spinnerShown = false;
  }

  private stopSpinner(): void {
    this.clearSpinner();
    clearInterval(this.spinner);
    this.spinner = undefined;
  }
}
