/**
 * `ModelClient` over the AWS SDK — the only module that imports `@aws-sdk/client-bedrock-runtime`.
 * Works against real Bedrock, the offline emulator or a gateway (`endpoint`). The SDK is loaded on first use so
 * commands that never call a model do not pay for it. Retries belong to the tool loop (one observable policy),
 * so the SDK is told to make a single attempt.
 */
import type {
  BedrockRuntimeClientConfig,
  ContentBlock as SdkContentBlock,
  ConverseCommandInput,
  ConverseStreamOutput,
  TokenUsage as SdkTokenUsage,
} from '@aws-sdk/client-bedrock-runtime';
import type {
  ContentBlock,
  ConverseRequest,
  ConverseResponse,
  ConverseStreamEvent,
  JsonValue,
  Message,
  StopReason,
  TokenUsage,
} from '../converse/types.js';
import type { ModelCallOptions, ModelClient } from './model-client.js';
import { offlineCredentials, type AwsCredentials } from './credentials.js';
import { toModelCallError } from './model-errors.js';

/** How `BedrockModelClient` reaches Bedrock; everything is optional (the AWS SDK's defaults apply). */
export interface BedrockModelClientOptions {
  /** AWS region; also used for signing when `endpoint` points elsewhere. */
  region?: string;
  /**
   * Override the service endpoint, e.g. the emulator `http://127.0.0.1:8787` or a gateway (default: the SDK's,
   * which also reads `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`). A loopback endpoint needs no AWS credentials: without
   * configured ones the client signs with placeholders, which the emulator and a local gateway accept.
   */
  endpoint?: string;
  /** Named profile from the shared AWS config files. */
  profile?: string;
  credentials?: AwsCredentials;
  /** Bedrock API key, sent as `Authorization: Bearer`. `AWS_BEARER_TOKEN_BEDROCK` works without this option. */
  bearerToken?: string;
  /** `http1` = keep-alive HTTP/1.1 (default: measured faster per tool round trip); `http2` = the SDK's h2 handler. */
  httpVersion?: 'http1' | 'http2';
  /** Per-request timeout; long generations can take minutes, so the default is generous. */
  requestTimeoutMs?: number;
  /**
   * Any AWS SDK request handler, used instead of the one `httpVersion` and `requestTimeoutMs` describe: your own
   * agents or proxy, or a handler that records the exchanges (the CLI's `--record`).
   */
  requestHandler?: BedrockRuntimeClientConfig['requestHandler'];
}

const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;

type Sdk = typeof import('@aws-sdk/client-bedrock-runtime');
type SdkClient = InstanceType<Sdk['BedrockRuntimeClient']>;

/**
 * `ModelClient` over the AWS SDK's Bedrock runtime client: real Bedrock, the offline emulator or a gateway.
 * The SDK loads on first use, makes one attempt per call (the loop retries, with one observable policy), and its
 * errors become `ModelCallError`s with a stable `code`.
 *
 * @example
 * ```ts source="./bedrock-model-client.examples.ts#BedrockModelClient_regions"
 * // Real Bedrock with the AWS SDK's default credential chain (environment, profile, SSO, instance role) …
 * const bedrock = new BedrockModelClient({ region: 'us-west-2' });
 * // … a named profile, or a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK works without the option).
 * const withProfile = new BedrockModelClient({ region: 'eu-central-1', profile: 'prod' });
 * const withApiKey = new BedrockModelClient({
 *   region: 'us-east-1',
 *   bearerToken: process.env['BEDROCK_API_KEY'] ?? '',
 * });
 * await Promise.all([bedrock.close(), withProfile.close(), withApiKey.close()]);
 * ```
 * @example Offline
 * ```ts source="./bedrock-model-client.examples.ts#BedrockModelClient_emulator"
 * // The offline emulator (or a local gateway): a loopback endpoint needs no AWS credentials.
 * const emulator = await startEmulator({ port: 0 });
 * const client = new BedrockModelClient({ endpoint: emulator.url });
 * ```
 */
export class BedrockModelClient implements ModelClient {
  private sdk: Promise<{ sdk: Sdk; client: SdkClient }> | undefined;

  constructor(private readonly options: BedrockModelClientOptions = {}) {}

  /** Starts loading the SDK now, e.g. while MCP servers start, so the first model call does not wait for it. */
  preload(): void {
    this.load().catch(() => {});
  }

  /** One Converse call; failures are thrown as `ModelCallError`. */
  async converse(request: ConverseRequest, options: ModelCallOptions = {}): Promise<ConverseResponse> {
    try {
      const { sdk, client } = await this.load();
      const output = await client.send(new sdk.ConverseCommand(toSdkInput(request)), sendOptions(options));
      const message = output.output?.message;
      return {
        output: { message: { role: 'assistant', content: fromSdkContent(message?.content) } },
        stopReason: (output.stopReason ?? 'end_turn') as StopReason,
        usage: toUsage(output.usage),
        metrics: { latencyMs: output.metrics?.latencyMs ?? 0 },
        ...(output.additionalModelResponseFields !== undefined
          ? { additionalModelResponseFields: output.additionalModelResponseFields }
          : {}),
      };
    } catch (error) {
      throw toModelCallError(error, request.modelId);
    }
  }

  /** One ConverseStream call, its events as they arrive; failures are thrown as `ModelCallError`. */
  async *converseStream(request: ConverseRequest, options: ModelCallOptions = {}): AsyncIterable<ConverseStreamEvent> {
    let yielded = false;
    try {
      const { sdk, client } = await this.load();
      const output = await client.send(new sdk.ConverseStreamCommand(toSdkInput(request)), sendOptions(options));
      for await (const event of output.stream ?? []) {
        const converted = fromSdkEvent(event);
        if (!converted) continue;
        yielded = true;
        yield converted;
      }
    } catch (error) {
      throw toModelCallError(error, request.modelId, yielded);
    }
  }

  /** Releases sockets; the client is unusable afterwards. */
  async close(): Promise<void> {
    if (!this.sdk) return;
    const { client } = await this.sdk;
    client.destroy();
    this.sdk = undefined;
  }

  private load(): Promise<{ sdk: Sdk; client: SdkClient }> {
    this.sdk ??= (async () => {
      const [sdk, handlers, http, https] = await Promise.all([
        import('@aws-sdk/client-bedrock-runtime'),
        import('@smithy/node-http-handler'),
        import('node:http'),
        import('node:https'),
      ]);
      const o = this.options;
      // The SDK reads AWS_ENDPOINT_URL_BEDROCK_RUNTIME and AWS_ENDPOINT_URL itself; a loopback one needs no keys.
      const endpoint = o.endpoint ?? process.env['AWS_ENDPOINT_URL_BEDROCK_RUNTIME'] ?? process.env['AWS_ENDPOINT_URL'];
      const credentials = o.credentials ?? offlineCredentials(endpoint, o);
      const requestTimeout = o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      const requestHandler =
        o.requestHandler ??
        (o.httpVersion === 'http2'
          ? new handlers.NodeHttp2Handler({ requestTimeout })
          : new handlers.NodeHttpHandler({
              requestTimeout,
              httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
              httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
            }));
      const client = new sdk.BedrockRuntimeClient({
        maxAttempts: 1,
        // The middleware stack is resolved once per command type instead of on every call (used for calls sent
        // without options, i.e. without an abort signal).
        cacheMiddleware: true,
        requestHandler,
        ...(o.region ? { region: o.region } : {}),
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
        ...(o.profile ? { profile: o.profile } : {}),
        ...(credentials ? { credentials } : {}),
        // `token` alone is not enough: SigV4 is tried first unless bearer auth is preferred.
        ...(o.bearerToken ? { token: { token: o.bearerToken }, authSchemePreference: ['httpBearerAuth'] } : {}),
      });
      return { sdk, client };
    })();
    return this.sdk;
  }
}

/** No options at all without a signal: only calls sent without options use the SDK's cached middleware stack. */
function sendOptions(options: ModelCallOptions): { abortSignal: AbortSignal } | undefined {
  return options.signal ? { abortSignal: options.signal } : undefined;
}

// Our shapes are the SDK's shapes minus members we never send; the cast is the one place they meet.
function toSdkInput(request: ConverseRequest): ConverseCommandInput {
  return request as unknown as ConverseCommandInput;
}

function toUsage(usage: SdkTokenUsage | undefined): TokenUsage {
  const result: TokenUsage = {
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    totalTokens: usage?.totalTokens ?? 0,
  };
  if (usage?.cacheReadInputTokens !== undefined) result.cacheReadInputTokens = usage.cacheReadInputTokens;
  if (usage?.cacheWriteInputTokens !== undefined) result.cacheWriteInputTokens = usage.cacheWriteInputTokens;
  return result;
}

/** Keeps the blocks we model; drops `$unknown` members and unmodelled fields (e.g. `type` on toolUse). */
function fromSdkContent(content: SdkContentBlock[] | undefined): Message['content'] {
  const blocks: ContentBlock[] = [];
  for (const block of content ?? []) {
    if (block.text !== undefined) blocks.push({ text: block.text });
    else if (block.toolUse) {
      const { toolUseId = '', name = '', input = {} } = block.toolUse;
      blocks.push({ toolUse: { toolUseId, name, input: input as JsonValue } });
    } else if (block.reasoningContent?.reasoningText) {
      const { text = '', signature } = block.reasoningContent.reasoningText;
      blocks.push({ reasoningContent: { reasoningText: signature === undefined ? { text } : { text, signature } } });
    } else if (block.reasoningContent?.redactedContent) {
      blocks.push({ reasoningContent: { redactedContent: block.reasoningContent.redactedContent } });
    }
  }
  return blocks;
}

function fromSdkEvent(event: ConverseStreamOutput): ConverseStreamEvent | undefined {
  if (event.messageStart) return { messageStart: { role: event.messageStart.role === 'user' ? 'user' : 'assistant' } };
  if (event.contentBlockStart) {
    const toolUse = event.contentBlockStart.start?.toolUse;
    if (!toolUse) return undefined;
    return {
      contentBlockStart: {
        contentBlockIndex: event.contentBlockStart.contentBlockIndex ?? 0,
        start: { toolUse: { toolUseId: toolUse.toolUseId ?? '', name: toolUse.name ?? '' } },
      },
    };
  }
  if (event.contentBlockDelta) {
    const index = event.contentBlockDelta.contentBlockIndex ?? 0;
    const delta = event.contentBlockDelta.delta;
    if (delta?.text !== undefined)
      return { contentBlockDelta: { contentBlockIndex: index, delta: { text: delta.text } } };
    if (delta?.toolUse) {
      return {
        contentBlockDelta: { contentBlockIndex: index, delta: { toolUse: { input: delta.toolUse.input ?? '' } } },
      };
    }
    if (delta?.reasoningContent) {
      const r = delta.reasoningContent;
      const reasoning = {
        ...(r.text !== undefined ? { text: r.text } : {}),
        ...(r.signature !== undefined ? { signature: r.signature } : {}),
        ...(r.redactedContent !== undefined ? { redactedContent: r.redactedContent } : {}),
      };
      return { contentBlockDelta: { contentBlockIndex: index, delta: { reasoningContent: reasoning } } };
    }
    return undefined;
  }
  if (event.contentBlockStop)
    return { contentBlockStop: { contentBlockIndex: event.contentBlockStop.contentBlockIndex ?? 0 } };
  if (event.messageStop)
    return { messageStop: { stopReason: (event.messageStop.stopReason ?? 'end_turn') as StopReason } };
  if (event.metadata) {
    return {
      metadata: {
        usage: toUsage(event.metadata.usage),
        metrics: { latencyMs: event.metadata.metrics?.latencyMs ?? 0 },
      },
    };
  }
  return undefined;
}
