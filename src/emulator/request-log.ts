/**
 * What the emulator was asked (docs/emulator.md, "Observability"): every request with its model, operation,
 * tools, answer and time, kept in a log bounded in entries and in bytes (the newest always stays), shown one line
 * per request with `-v`, and served to tests as JSON at `GET /__emulator/requests`.
 */
import type { BedrockOperation } from '../http/bedrock-route.js';
import type { WireRequest } from './wire-request.js';

/** One request as the emulator saw and answered it. */
export interface LoggedRequest {
  modelId: string;
  stream: boolean;
  /** `invoke` or `invoke-with-response-stream` for InvokeModel requests (absent for Converse). */
  operation?: BedrockOperation;
  /** The request body as sent (for InvokeModel, the model's native body). */
  body: WireRequest;
  /** The error answered, when the request was rejected (`ValidationException: …`). */
  error?: string;
  /** HTTP status of the answer. */
  status?: number;
  /** Tool names offered (`toolConfig`, or an InvokeModel body's `tools`). */
  tools?: string[];
  /** The scenario (or recording file) that answered; `off-script` when none matched. */
  answeredBy?: string;
  /** Milliseconds from the request's arrival to its answer. */
  latencyMs?: number;
}

/** The one-line summary `emulator -v` prints for a request. */
export function summaryLine(entry: LoggedRequest): string {
  const invoke = entry.operation?.startsWith('invoke') === true;
  const streamSuffix = invoke ? 'WithResponseStream' : 'Stream';
  const operation = `${invoke ? 'InvokeModel' : 'Converse'}${entry.stream ? streamSuffix : ''}`;
  const tools = entry.tools && entry.tools.length > 0 ? `tools=${entry.tools.join(',')}` : 'no tools';
  const outcome = entry.error ?? entry.answeredBy ?? '';
  const latency = entry.latencyMs === undefined ? '' : ` ${Math.round(entry.latencyMs)}ms`;
  return `${operation} ${entry.modelId} ${tools} -> ${entry.status ?? '?'}${latency} ${outcome}`.trimEnd();
}

/** A log of requests kept in `entries` (the array callers read), bounded in count and in body bytes. */
export class RequestLog {
  /** The retained requests, oldest first. */
  readonly entries: LoggedRequest[] = [];
  private readonly sizes: number[] = [];
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    private readonly onEntry?: (entry: LoggedRequest) => void,
  ) {}

  /** Adds a request whose body was `size` bytes, dropping the oldest beyond the bounds. */
  add(entry: LoggedRequest, size: number): void {
    this.onEntry?.(entry);
    // A caller may empty `entries` (tests do): the sizes of the requests it removed go too.
    if (this.sizes.length > this.entries.length) {
      const dropped = this.sizes.splice(0, this.sizes.length - this.entries.length);
      this.bytes -= dropped.reduce((sum, n) => sum + n, 0);
    }
    this.entries.push(entry);
    this.sizes.push(size);
    this.bytes += size;
    while (this.entries.length > 1 && (this.entries.length > this.maxEntries || this.bytes > this.maxBytes)) {
      this.entries.shift();
      this.bytes -= this.sizes.shift() as number;
    }
  }
}
