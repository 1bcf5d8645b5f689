/**
 * `mcp-bedrock-bridge/testing`: a scripted `ModelClient` and response builders for unit tests of code that runs
 * the tool loop, without a network or an emulator. For wire-level tests, use `mcp-bedrock-bridge/emulator`.
 *
 * @packageDocumentation
 */
export { ScriptedModelClient, reply, textTurn } from '../testing/scripted-model-client.js';
export type { ScriptedTurn } from '../testing/scripted-model-client.js';
