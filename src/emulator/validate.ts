/**
 * Request validation in Bedrock's order (docs/bedrock-evidence.md): Coral's shape constraints first (all of them,
 * counted, 1-based `.member.` paths), then Bedrock's own rules (first failure, 0-based paths), then what the model
 * family rejects, then what the model itself answers through Bedrock (`The model returned the following errors:`).
 */
import { validation, type BedrockError } from '../http/bedrock-errors.js';
import type { ModelTraits } from './model-traits.js';
import { claudeSchemaError } from './schema-rules.js';
import { cachePointError } from './prompt-cache.js';
import { conversationError } from './validate-conversation.js';
import { modelError } from './validate-model.js';
import { shapeViolations } from './validate-shape.js';
import { modelToolError, toolDefinitionError } from './validate-tools.js';
import type { WireRequest } from './wire-request.js';

export type { WireRequest } from './wire-request.js';

/** The first error Bedrock would answer with, or undefined when the request is accepted. */
export function validateRequest(
  body: WireRequest,
  traits: ModelTraits,
  stream: boolean,
  modelId = '',
): BedrockError | undefined {
  const shape = shapeViolations(body);
  if (shape.length > 0) {
    return validation(`${shape.length} validation error${shape.length === 1 ? '' : 's'} detected: ${shape.join('; ')}`);
  }
  const message =
    conversationError(body) ??
    toolDefinitionError(body) ??
    modelError(body, traits, stream) ??
    modelToolError(body, traits) ??
    cachePointError(modelId, body) ??
    (traits.family === 'anthropic' ? claudeSchemaError(body.toolConfig) : undefined);
  return message === undefined ? undefined : validation(message);
}
