/**
 * Framing between the sandbox parent and its child, over plain pipes (no Node IPC channel, which parses every
 * message in full before anyone can look at its size). A frame is an 8-byte prefix (header length, body length,
 * both big-endian uint32), a small JSON header, then the body's raw bytes. The reader learns both sizes from the
 * prefix, so it refuses an oversized header and skips an oversized body as it streams past, never buffering or
 * parsing more than its limits (docs/security.md, "Tool arguments").
 */

/** The prefix: header length then body length. */
const PREFIX_BYTES = 8;

/** One frame: its parsed header and its body (absent when it was skipped). */
export interface Frame<H> {
  header: H;
  /** The body, or undefined when it was larger than the limit for its header and was skipped unread. */
  body: Buffer | undefined;
  /** The body's size as the sender declared it (also when skipped). */
  bodyBytes: number;
}

/** Encodes one frame. */
export function encodeFrame(header: object, body: string | Uint8Array = ''): Buffer {
  const head = Buffer.from(JSON.stringify(header));
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.writeUInt32BE(head.length, 0);
  prefix.writeUInt32BE(data.length, 4);
  return Buffer.concat([prefix, head, data]);
}

export interface FrameReaderOptions<H> {
  /** Headers longer than this are a protocol violation. */
  maxHeaderBytes: number;
  /** The header's JSON text to a header, or undefined for one that is not allowed (a protocol violation). */
  parseHeader: (text: string) => H | undefined;
  /** The largest body accepted for a header; larger ones are skipped without buffering. */
  maxBodyBytes: (header: H) => number;
  onFrame: (frame: Frame<H>) => void;
  /** Called once; the reader ignores everything after it. */
  onViolation: (reason: string) => void;
}

/** Incremental decoder for a byte stream of frames; it holds at most one header or one accepted body. */
export class FrameReader<H> {
  private state: 'prefix' | 'header' | 'body' | 'skip' = 'prefix';
  /** Bytes the current state still needs (or, when skipping, still discards). */
  private need = PREFIX_BYTES;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private header: H | undefined;
  private bodyBytes = 0;
  private broken = false;
  private peak = 0;

  constructor(private readonly options: FrameReaderOptions<H>) {}

  /** The most bytes this reader ever held at once (for tests and diagnostics). */
  get peakBufferedBytes(): number {
    return this.peak;
  }

  push(chunk: Buffer): void {
    let data = chunk;
    while (!this.broken) {
      if (this.need === 0) {
        this.advance(this.takeBuffered());
        continue;
      }
      if (data.length === 0) return;
      const used = Math.min(this.need, data.length);
      if (this.state !== 'skip') {
        this.chunks.push(data.subarray(0, used));
        this.buffered += used;
        this.peak = Math.max(this.peak, this.buffered);
      }
      this.need -= used;
      data = data.subarray(used);
    }
  }

  private takeBuffered(): Buffer {
    const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    this.chunks = [];
    this.buffered = 0;
    return all;
  }

  /** The current state has all its bytes: act on them and move to the next state. */
  private advance(bytes: Buffer): void {
    switch (this.state) {
      case 'prefix': {
        const headerBytes = bytes.readUInt32BE(0);
        this.bodyBytes = bytes.readUInt32BE(4);
        if (headerBytes > this.options.maxHeaderBytes) {
          this.violation(`a frame header of ${headerBytes} bytes (limit ${this.options.maxHeaderBytes})`);
          return;
        }
        this.state = 'header';
        this.need = headerBytes;
        return;
      }
      case 'header': {
        const text = bytes.toString('utf8');
        this.header = this.options.parseHeader(text);
        if (this.header === undefined) {
          this.violation(`a frame header that is not allowed: ${text.slice(0, 200)}`);
          return;
        }
        this.state = this.bodyBytes > this.options.maxBodyBytes(this.header) ? 'skip' : 'body';
        this.need = this.bodyBytes;
        return;
      }
      case 'body':
      case 'skip': {
        const body = this.state === 'body' ? Buffer.from(bytes) : undefined;
        this.state = 'prefix';
        this.need = PREFIX_BYTES;
        this.options.onFrame({ header: this.header as H, body, bodyBytes: this.bodyBytes });
        return;
      }
    }
  }

  private violation(reason: string): void {
    this.broken = true;
    this.chunks = [];
    this.buffered = 0;
    this.options.onViolation(reason);
  }
}
