/** The Anthropic Messages API in front of Bedrock, with programmatic tool calling (docs/anthropic.md). */
export { startAnthropicServer } from './anthropic-server.js';
export type { AnthropicServer, AnthropicServerOptions } from './anthropic-server.js';
export { DEFAULT_MODEL_NAMES, loadModelNames, ModelNames, ModelsFileError } from './model-names.js';
