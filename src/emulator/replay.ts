/**
 * `emulator --replay DIR`: answers from recordings of real Bedrock (docs/emulator.md, "Record and replay").
 * A request finds its recording by the normalised request digest; the same request asked again gets the next
 * recording with that digest (a throttled call and its retry replay in order), then the last one again.
 * A miss names the nearest recording and where the request differs from it.
 */
import { basename } from 'node:path';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import {
  differenceOf,
  normaliseRequest,
  readRecordings,
  requestDigest,
  scrubText,
  type Operation,
  type RecordingEntry,
} from '../recording/index.js';
import { validation, type BedrockError } from '../http/bedrock-errors.js';

/** A recorded answer, ready to send. */
export interface ReplayedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The recording it came from. */
  file: string;
}

/** Serves the recordings of one folder. */
export interface Replayer {
  /** How many recordings were loaded. */
  readonly size: number;
  /** The recorded answer for this request, or the error that says why there is none. */
  answer(operation: Operation, modelId: string, body: Record<string, unknown>): ReplayedAnswer | BedrockError;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const OPERATION_NAMES: Record<Operation, string> = {
  converse: 'Converse',
  'converse-stream': 'ConverseStream',
  invoke: 'InvokeModel',
  'invoke-with-response-stream': 'InvokeModelWithResponseStream',
};

function encodeAnswer(entry: RecordingEntry): ReplayedAnswer {
  const { response } = entry.recording;
  let body: Buffer;
  if (response.events) {
    const frames = response.events.map((frame) => {
      const headers = Object.fromEntries(
        Object.entries(frame.headers).map(([name, value]) => [name, { type: 'string' as const, value }]),
      );
      const payload = typeof frame.payload === 'string' ? frame.payload : JSON.stringify(frame.payload);
      return codec.encode({ headers, body: fromUtf8(payload) });
    });
    body = Buffer.concat(frames);
  } else {
    body = Buffer.from(typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? {}));
  }
  const headers = { ...response.headers };
  if (!response.events) headers['content-length'] = String(body.length);
  return { status: response.status, headers, body, file: entry.file };
}

/** Loads every recording in `dir`; a bad file fails here, naming the file and field. */
export function loadReplay(dir: string): Replayer {
  const entries = readRecordings(dir);
  const byDigest = new Map<string, RecordingEntry[]>();
  for (const entry of entries) {
    // The digest is computed again: a recording edited by hand still matches what it now says.
    const { operation, modelId, request } = entry.recording;
    const digest = requestDigest(operation, modelId, request);
    byDigest.set(digest, [...(byDigest.get(digest) ?? []), entry]);
  }
  const served = new Map<string, number>();

  const miss = (operation: Operation, modelId: string, body: Record<string, unknown>, digest: string) => {
    const sent = normaliseRequest(body);
    let nearest: { entry: RecordingEntry; difference: ReturnType<typeof differenceOf>; score: number } | undefined;
    for (const entry of entries) {
      const { recording } = entry;
      const difference = differenceOf(normaliseRequest(recording.request), sent);
      // Another operation or model counts as many differences: prefer the same call with other content.
      const score =
        (difference?.count ?? 0) +
        (recording.operation === operation ? 0 : 1000) +
        (recording.modelId === scrubText(modelId) ? 0 : 100);
      if (!nearest || score < nearest.score) nearest = { entry, difference, score };
    }
    const what = `this ${OPERATION_NAMES[operation]} request for ${modelId}`;
    let text =
      `mcp-bedrock emulator (replay): no recording in ${dir} ` + `matches ${what} (digest ${digest.slice(0, 19)}…).`;
    if (!nearest) text += ' The folder holds no recordings.';
    else {
      const { recording, file } = nearest.entry;
      const d = nearest.difference;
      text += ` Nearest: ${basename(file)} (${recording.operation}, ${recording.modelId})`;
      text += d
        ? `, which differs at ${d.path}: recorded ${d.recorded}, ` +
          `sent ${d.sent}${d.count > 1 ? ` (${d.count} differences in all)` : ''}.`
        : `, which has the same ` +
          `request${recording.operation !== operation ? ' for the other operation' : ' for another model'}.`;
    }
    return validation(text);
  };

  return {
    size: entries.length,
    answer(operation, modelId, body) {
      const digest = requestDigest(operation, modelId, body);
      const matches = byDigest.get(digest);
      if (!matches) return miss(operation, modelId, body, digest);
      const index = served.get(digest) ?? 0;
      served.set(digest, index + 1);
      return encodeAnswer(matches[Math.min(index, matches.length - 1)] as RecordingEntry);
    },
  };
}
