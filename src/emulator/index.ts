/**
 * The offline Converse emulator's public surface (docs/emulator.md): start one, feed it scenarios or recordings,
 * inject faults, read what it was asked — and record your own AWS SDK traffic for it to replay.
 */
export { startEmulator } from './emulator.js';
export type { Emulator, EmulatorOptions, Fault, FaultKind, LoggedRequest } from './emulator.js';
export { OFF_SCRIPT_HEADER, OFF_SCRIPT_STOP_REASON } from './off-script.js';
export { summaryLine } from './request-log.js';
export { loadScenarios, ScenarioError } from './scenario-format.js';
export type { Scenario, ScenarioDefinition, ScenarioStep } from './scenario-format.js';
export { traitsFor } from './model-traits.js';
export type { ModelFamily, ModelTraits } from './model-traits.js';
export { createRecorder, RecordingRequestHandler } from '../recording/index.js';
export type { Exchange, Recorder } from '../recording/index.js';
