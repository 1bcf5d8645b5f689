/**
 * Writes each real Converse / ConverseStream exchange as a replayable file in a folder
 * (`gateway --record DIR`, `run --record DIR`, `chat --record DIR`; docs/emulator.md). Files are numbered in the
 * order the answers complete and are never overwritten; secrets are scrubbed before anything is written.
 */
import { isJsonObject } from '../../bridge/entries/converse.js';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import {
  RECORDING_FORMAT,
  RecordingFileError,
  type Operation,
  type RecordedFrame,
  type Recording,
} from './recording-file.js';
import { requestDigest } from './request-digest.js';
import { scrubJson, scrubText } from './scrub.js';

/** One exchange as the caller saw it on the wire. */
export interface Exchange {
  operation: Operation;
  modelId: string;
  /** The request body (JSON text). */
  requestBody: Buffer | string;
  status: number;
  responseHeaders: Record<string, string | string[] | number | undefined>;
  /** The whole response body: JSON, or the event-stream bytes. */
  responseBody: Buffer | Uint8Array;
  /** Exact credential values of this request, removed wherever they appear (see `secretsOfHeaders`). */
  secrets?: readonly string[];
}

/** Where recorded exchanges go. */
export interface Recorder {
  /** The folder written to. */
  readonly dir: string;
  /**
   * Writes one exchange to its file before returning (a recording is complete even if the process exits next).
   * A file that cannot be written is reported to `onError` and never breaks the exchange itself.
   */
  record(exchange: Exchange): void;
}

/** Response headers worth keeping: the SDK reads these; nothing else identifies the caller. */
const KEPT_HEADERS = ['content-type', 'x-amzn-requestid', 'x-amzn-errortype'];

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Splits an event-stream body into frames and decodes each (headers in wire order, payload as JSON). */
export function decodeFrames(bytes: Uint8Array): RecordedFrame[] {
  const frames: RecordedFrame[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset + 4 <= bytes.byteLength; ) {
    const length = view.getUint32(offset);
    if (length < 16 || offset + length > bytes.byteLength) break;
    const message = codec.decode(bytes.subarray(offset, offset + length));
    const headers: Record<string, string> = {};
    for (const [name, header] of Object.entries(message.headers)) headers[name] = String(header.value);
    const text = toUtf8(message.body);
    let payload: unknown = text;
    try {
      payload = JSON.parse(text);
    } catch {
      // An unmodelled error frame may carry plain text; kept as it is.
    }
    frames.push({ headers, payload });
    offset += length;
  }
  return frames;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function headerValue(value: string | string[] | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The recording for one exchange, scrubbed. */
export function recordingOf(exchange: Exchange, recordedAt = new Date()): Recording {
  const secrets = exchange.secrets ?? [];
  const request = scrubJson(parseJson(Buffer.from(exchange.requestBody).toString('utf8')), secrets);
  const body: Record<string, unknown> = isJsonObject(request) ? request : {};
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const entry = Object.entries(exchange.responseHeaders).find(([k]) => k.toLowerCase() === name);
    const value = headerValue(entry?.[1]);
    if (value !== undefined) headers[name] = scrubText(value, secrets);
  }
  const bytes = Buffer.from(exchange.responseBody);
  const streamed = exchange.status === 200 && (headers['content-type'] ?? '').includes('eventstream');
  const response: Recording['response'] = { status: exchange.status, headers };
  let usage: unknown;
  if (streamed) {
    response.events = scrubJson(decodeFrames(bytes), secrets);
    usage = response.events.map((f) => (f.payload as { usage?: unknown } | null)?.usage).find(Boolean);
  } else {
    response.body = scrubJson(parseJson(bytes.toString('utf8')), secrets);
    usage = (response.body as { usage?: unknown } | null)?.usage;
  }
  const modelId = scrubText(exchange.modelId, secrets);
  return {
    format: RECORDING_FORMAT,
    recordedAt: recordedAt.toISOString(),
    operation: exchange.operation,
    modelId,
    digest: requestDigest(exchange.operation, modelId, body),
    request: body,
    response,
    ...(usage !== undefined && { usage }),
  };
}

const safeName = (modelId: string): string => modelId.replace(/[^A-Za-z0-9.-]+/g, '_').slice(0, 80);

/** A recorder writing into `dir` (created if missing), numbering after the recordings already there. */
export function createRecorder(
  dir: string,
  onError: (error: Error) => void = (error) => process.stderr.write(`! ${error.message}\n`),
): Recorder {
  let names: string[];
  try {
    // Recordings hold prompts and tool results: folders we create are the user's alone (docs/security.md).
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    names = readdirSync(dir);
  } catch (error) {
    throw new RecordingFileError(`${dir}: cannot create or read the recordings folder (${(error as Error).message})`);
  }
  let next =
    names
      .map((name) => /^(\d+)-/.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .reduce((max, n) => Math.max(max, Number(n)), 0) + 1;
  return {
    dir,
    record(exchange) {
      let file = join(dir, `recording-${next}.json`);
      try {
        const recording = recordingOf(exchange);
        file = join(
          dir,
          `${String(next++).padStart(4, '0')}-${recording.operation}-${safeName(recording.modelId)}.json`,
        );
        // `wx`: an existing file is never overwritten, whatever else writes into the folder; 0600: only its owner
        // reads the prompts and tool results in it.
        writeFileSync(file, `${JSON.stringify(recording, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
      } catch (error) {
        onError(new Error(`could not write the recording ${file}: ${(error as Error).message}`));
      }
    },
  };
}
