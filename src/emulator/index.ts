/** The offline Converse emulator's public surface. */
export { startEmulator } from './emulator.js';
export type { Emulator, EmulatorOptions, Fault, FaultKind, LoggedRequest } from './emulator.js';
export { loadScenarios } from './scenarios.js';
export type { Scenario } from './scenarios.js';
export { traitsFor } from './model-traits.js';
export type { ModelTraits } from './model-traits.js';
