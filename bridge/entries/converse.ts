/**
 * `mcp-bedrock-bridge/converse`: the building blocks under the tool loop, for callers who drive Converse
 * themselves (their own loop, a proxy, a custom `ModelClient`): the per-model capability table, the wire request
 * a given model accepts, history repair, JSON Schema compilation to a model's dialect, MCP result and sampling
 * translation, stream events, the model-error mapping and the loopback-credential rule.
 *
 * @packageDocumentation
 */
export { baseModelId, capabilitiesFor } from '../converse/capabilities.js';
export { toWireRequest } from '../converse/wire-request.js';
export { estimateTokens, withCachePoints } from '../converse/cache-points.js';
export type { WireRequestInput } from '../converse/wire-request.js';
export { repairHistory } from '../converse/history-repair.js';
export type { RepairedHistory } from '../converse/history-repair.js';
export { streamEventsOf } from '../converse/stream-events.js';
export { isJsonObject } from '../converse/json.js';
export { capUnionParameters } from '../converse/union-cap.js';
export { describeChange } from '../converse/schema-changes.js';
export { requestTools, toolNames } from '../tools/request-tools.js';
export type { RequestTools } from '../tools/request-tools.js';
export { compileSchema } from '../mcp/schema-compiler.js';
export type { CompiledSchema, CompileResult } from '../mcp/schema-compiler.js';
export { toToolResult } from '../mcp/tool-results.js';
export { samplingRequest } from '../mcp/sampling.js';
export { toModelCallError } from '../model/model-errors.js';
export { isLoopbackHost, offlineCredentials } from '../model/credentials.js';
export type { ConfiguredCredentials } from '../model/credentials.js';
