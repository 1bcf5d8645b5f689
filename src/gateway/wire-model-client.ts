/**
 * The tool-injection loop's model calls, made as Bedrock wire JSON: the request goes upstream in the client's
 * own shape, fields this code does not model (guardrailConfig, requestMetadata, performanceConfig, …) included,
 * signed like relayed requests; the answer is parsed as it arrives. Going through the AWS SDK instead would
 * decode and re-encode every request into its typed shapes (about 0.8 ms of CPU per call, measured by the
 * gateway benchmark) and would drop any field newer than the SDK.
 */
import { streamEventsOf, toModelCallError } from '../../bridge/entries/converse.js';
import type {
  ConverseRequest,
  ConverseResponse,
  ConverseStreamEvent,
  ModelCallOptions,
  ModelClient,
} from '../../bridge/index.js';
import { readBody } from '../http/request-body.js';
import { fromWireJson, toWireJson } from '../http/wire-json.js';
import { recordUpstream, upstreamRequest } from './upstream-request.js';
import type { Upstream } from './upstream.js';

/** Bedrock names its errors in `x-amzn-errortype`, sometimes followed by `:<namespace>`. */
function errorType(header: string | string[] | undefined, status: number): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value) return value.split(':')[0] as string;
  return status === 429 ? 'ThrottlingException' : status >= 500 ? 'InternalServerException' : 'ValidationException';
}

function messageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string; Message?: string };
    return parsed.message ?? parsed.Message ?? body;
  } catch {
    return body;
  }
}

/** The model client of the gateway's tool loop: Converse as wire JSON to the configured upstream. */
export class WireModelClient implements ModelClient {
  constructor(private readonly upstream: Upstream) {}

  async converse(request: ConverseRequest, options: ModelCallOptions = {}): Promise<ConverseResponse> {
    const { modelId, ...body } = request;
    try {
      const route = { modelId, operation: 'converse' } as const;
      const requestBody = Buffer.from(toWireJson(body));
      const incoming = await upstreamRequest(this.upstream, route, requestBody, options.signal);
      const answer = await readBody(incoming);
      recordUpstream(this.upstream, route, requestBody, incoming, answer);
      const text = answer.toString('utf8');
      const status = incoming.statusCode ?? 502;
      if (status >= 200 && status < 300) return fromWireJson<ConverseResponse>(text);
      const requestId = incoming.headers['x-amzn-requestid'];
      throw toModelCallError(
        {
          name: errorType(incoming.headers['x-amzn-errortype'], status),
          message: messageOf(text),
          $metadata: { httpStatusCode: status, ...(typeof requestId === 'string' && { requestId }) },
        },
        modelId,
      );
    } catch (error) {
      throw toModelCallError(error, modelId);
    }
  }

  /**
   * The Converse answer as stream events. The gateway's loop calls Converse (it streams to its client from the
   * final answer), so this serves callers that ask for a stream all the same.
   */
  async *converseStream(request: ConverseRequest, options: ModelCallOptions = {}): AsyncIterable<ConverseStreamEvent> {
    yield* streamEventsOf(await this.converse(request, options));
  }
}
