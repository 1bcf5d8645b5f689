/**
 * One recorded Converse or ConverseStream exchange per file (format in docs/emulator.md, "Record and replay"):
 * the request body, the normalised digest that finds it again, and the answer as it came back — status, the
 * headers that matter, the JSON body or every event-stream frame in order.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The format tag every recording carries; a file without it is not read as a recording. */
export const RECORDING_FORMAT = 'mcp-bedrock-recording/1';

/** The operations a recording can hold: Converse's and InvokeModel's. */
export type Operation = 'converse' | 'converse-stream' | 'invoke' | 'invoke-with-response-stream';

const Json: z.ZodType<unknown> = z.unknown();

const Frame = z.strictObject({
  /** Event-stream headers in wire order (`:event-type`, `:content-type`, `:message-type`, …); all strings. */
  headers: z.record(z.string(), z.string()),
  /** The frame's JSON payload. */
  payload: Json,
});

const RecordingSchema = z.strictObject({
  format: z.literal(RECORDING_FORMAT),
  recordedAt: z.string(),
  operation: z.enum(['converse', 'converse-stream', 'invoke', 'invoke-with-response-stream']),
  modelId: z.string().min(1),
  /** `sha256:<hex>` of the normalised request (see `requestDigest`). */
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  request: z.record(z.string(), Json),
  response: z.strictObject({
    status: z.number().int().min(100).max(599),
    headers: z.record(z.string(), z.string()),
    /** Converse answers and errors: the JSON body. */
    body: Json.optional(),
    /** ConverseStream answers: every frame. */
    events: z.array(Frame).optional(),
  }),
  /** Token usage as Bedrock reported it, for reading a recording at a glance. */
  usage: Json.optional(),
});

/** A recording as stored on disk. */
export type Recording = z.infer<typeof RecordingSchema>;
/** One event-stream frame of a recorded ConverseStream answer. */
export type RecordedFrame = z.infer<typeof Frame>;

/** A recording together with the file it came from. */
export interface RecordingEntry {
  file: string;
  recording: Recording;
}

/** A recording (or recordings folder) that could not be read or written, naming the file and field. */
export class RecordingFileError extends Error {
  /** Stable code for callers that branch on it. */
  readonly code = 'RECORDING_INVALID';
}

/** Parses one recording file's text; the error names the file and the field. */
export function parseRecording(text: string, file: string): Recording {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RecordingFileError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = RecordingSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RecordingFileError(`${file}: not a ${RECORDING_FORMAT} file: ${issues}`);
  }
  return parsed.data;
}

/** Every `*.json` recording in a folder, in file-name order (which is recording order). */
export function readRecordings(dir: string): RecordingEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new RecordingFileError(`${dir}: cannot read the recordings folder (${(error as Error).message})`);
  }
  return names
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      return { file, recording: parseRecording(readFileSync(file, 'utf8'), file) };
    });
}
