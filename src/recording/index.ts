/**
 * Record and replay of real Bedrock exchanges (docs/emulator.md, "Record and replay"): the recorder and the AWS
 * SDK handler that write recordings, the file format the emulator's `--replay` reads, and the normalised digest
 * that matches a request to its recording.
 */
export { createRecorder, decodeFrames, recordingOf } from './recorder.js';
export type { Exchange, Recorder } from './recorder.js';
export { parseRecording, readRecordings, RecordingFileError, RECORDING_FORMAT } from './recording-file.js';
export type { Operation, RecordedFrame, Recording, RecordingEntry } from './recording-file.js';
export { differenceOf, normaliseRequest, requestDigest } from './request-digest.js';
export type { RequestDifference } from './request-digest.js';
export { scrubJson, scrubText, secretsOfHeaders } from './scrub.js';
export { RecordingRequestHandler } from './sdk-request-handler.js';
