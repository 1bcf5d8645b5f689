/**
 * The seam between the tool loop and a model: Converse and ConverseStream with Bedrock's own shapes.
 * `BedrockModelClient` implements it over the AWS SDK (real Bedrock, the offline emulator or a gateway).
 */
import type { ConverseRequest, ConverseResponse, ConverseStreamEvent } from '../converse/types.js';

/** Options of one model call. */
export interface ModelCallOptions {
  signal?: AbortSignal;
}

/**
 * A model the loop can call: Converse and ConverseStream in Bedrock's own shapes. Implement it to put any
 * backend behind the loop; failures should be thrown as `ModelCallError` (see `toModelCallError`).
 */
export interface ModelClient {
  converse(request: ConverseRequest, options?: ModelCallOptions): Promise<ConverseResponse>;
  /** Yields events as they arrive; failures before or during the stream are thrown as `ModelCallError`. */
  converseStream(request: ConverseRequest, options?: ModelCallOptions): AsyncIterable<ConverseStreamEvent>;
}
