/**
 * Bedrock's runtime routes, `POST /model/{modelId}/converse`, `/converse-stream`, `/invoke` and
 * `/invoke-with-response-stream`, read from the raw request target: the emulator and the gateway both route with it.
 * The path contributes a model id and an operation and nothing else; the gateway builds its upstream URL from these two
 * values alone (docs/security.md, "Gateway").
 */

/** The operations the emulator and the gateway answer: a closed set. */
export type BedrockOperation = 'converse' | 'converse-stream' | 'invoke' | 'invoke-with-response-stream';

/** Whether an operation is InvokeModel's (the model's native body) rather than Converse's. */
export const isInvoke = (operation: BedrockOperation): boolean => operation.startsWith('invoke');

/** Whether an operation answers with an event stream. */
export const isStreaming = (operation: BedrockOperation): boolean =>
  operation === 'converse-stream' || operation === 'invoke-with-response-stream';

/** What a request path says: which model, which operation. */
export interface BedrockRoute {
  /** Percent-decoded once and matching Bedrock's model identifier grammar. */
  modelId: string;
  operation: BedrockOperation;
}

/** A route, or why there is none: no such operation (404), or a model id Bedrock could not resolve (400). */
export type RouteResult = { route: BedrockRoute } | { error: 'unknown-operation' | 'invalid-model-id' };

/** Exactly one encoded segment between `/model/` and the operation, nothing before it, nothing after it. */
const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/;

/**
 * Bedrock's `ConversationalModelId` grammar (Converse API reference, docs/security.md), each alternative matched
 * whole: model and inference-profile ids, then the ARN forms. `/` appears only inside an ARN.
 */
const MODEL_ID = new RegExp(
  `^(?:${[
    '[a-zA-Z0-9_.:-]+',
    'arn:aws(?:-[a-z]+)*:bedrock:[a-z0-9-]{1,20}:(?:' +
      [
        '[0-9]{12}:custom-model/[a-z0-9-]{1,63}[.][a-z0-9-]{1,63}/[a-z0-9]{12}',
        ':foundation-model/[a-z0-9-]{1,63}[.][a-z0-9-]{1,63}(?:[.:]?[a-z0-9-]{1,63})*',
        '[0-9]{12}:(?:imported-model|provisioned-model|custom-model-deployment)/[a-z0-9]{12}',
        '[0-9]{12}:(?:inference-profile|application-inference-profile)/[a-zA-Z0-9:.-]+',
        '[0-9]{12}:prompt/[0-9a-zA-Z]{10}(?::[0-9]{1,5})?',
        '[0-9]{12}:(?:default-)?prompt-router/[a-zA-Z0-9:.-]+',
      ].join('|') +
      ')',
    'arn:aws:sagemaker:[a-z0-9-]+:[0-9]{12}:endpoint/[a-zA-Z0-9-]+',
  ].join('|')})$`,
);
const MAX_MODEL_ID = 2048;

/** Whether `id` (already decoded) is a model identifier Bedrock's grammar accepts; `.` and `..` are not. */
export function isModelId(id: string): boolean {
  return id.length <= MAX_MODEL_ID && id !== '.' && id !== '..' && MODEL_ID.test(id);
}

/**
 * Routes a request by its method and raw target (`req.url`: never normalized, so `/./`, `//` or an absolute
 * URL is no route). The model id segment is percent-decoded exactly once.
 */
export function parseRoute(method: string | undefined, rawUrl: string | undefined): RouteResult {
  const path = (rawUrl ?? '').split('?')[0] as string;
  const match = method === 'POST' ? ROUTE.exec(path) : null;
  if (!match) return { error: 'unknown-operation' };
  let modelId: string;
  try {
    modelId = decodeURIComponent(match[1] as string);
  } catch {
    return { error: 'invalid-model-id' };
  }
  if (!isModelId(modelId)) return { error: 'invalid-model-id' };
  return { route: { modelId, operation: match[2] as BedrockOperation } };
}

/** The request path for a route under an endpoint's own path prefix (`''` for none). */
export function routePath(route: BedrockRoute, prefix = ''): string {
  return `${prefix.replace(/\/+$/, '')}/model/${encodeURIComponent(route.modelId)}/${route.operation}`;
}
