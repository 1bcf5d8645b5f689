/**
 * The gateway's loop: the client's request plus the MCP tools. Injected tool calls run here and the model is
 * called again; a call to a tool the client defined goes back to the client unchanged (mixed mode), without the
 * injected calls of that turn, which the client could not answer. Usage is summed over the internal turns.
 */
import {
  capabilitiesFor,
  capUnionParameters,
  DEFAULT_RETRY_POLICY,
  toWireRequest,
  withRetry,
} from '../../bridge/entries/converse.js';
import type {
  ContentBlock,
  ConverseRequest,
  ConverseResponse,
  Message,
  ModelClient,
  Tool,
  ToolResultBlock,
  Toolset,
} from '../../bridge/index.js';

export interface InjectedCall {
  name: string;
  server: string;
  tool: string;
  status: string;
}

export interface InjectionResult {
  response: ConverseResponse;
  calls: InjectedCall[];
}

const toolUses = (content: readonly ContentBlock[]) => content.flatMap((b) => ('toolUse' in b ? [b.toolUse] : []));

export async function answerWithTools(
  request: ConverseRequest,
  toolset: Toolset,
  client: Pick<ModelClient, 'converse'>,
  options: { maxTurns?: number; toolTimeoutMs?: number; signal?: AbortSignal } = {},
): Promise<InjectionResult> {
  // What this loop does not model (guardrailConfig, requestMetadata, performanceConfig, …) goes upstream as sent.
  const {
    modelId: _modelId,
    messages: _messages,
    system: _system,
    toolConfig: _toolConfig,
    inferenceConfig: _inference,
    additionalModelRequestFields: _fields,
    ...passthrough
  } = request;
  const caps = capabilitiesFor(request.modelId);
  const clientTools = request.toolConfig?.tools ?? [];
  const clientNames = new Set(clientTools.flatMap((t) => ('toolSpec' in t ? [t.toolSpec.name] : [])));
  // A client tool wins over an injected one of the same name.
  const injected = toolset
    .toolSpecs(caps)
    .tools.filter((t): t is Tool => 'toolSpec' in t && !clientNames.has(t.toolSpec.name));
  // The request's final tool list gets the per-request limits; the client's own tools come first, so they are
  // the last to change (docs/schema-translation.md).
  const { tools } = capUnionParameters([...clientTools, ...injected], caps);
  const messages: Message[] = [...request.messages];
  const calls: InjectedCall[] = [];
  const usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  const maxTurns = options.maxTurns ?? 10;
  for (let turn = 1; ; turn++) {
    const wire: ConverseRequest = {
      ...passthrough,
      ...toWireRequest({
        modelId: request.modelId,
        caps,
        // The client's history goes as sent: its mistakes must come back as Bedrock's own errors.
        messages,
        tools,
        ...(request.system && { system: request.system }),
        ...(request.toolConfig?.toolChoice && { toolChoice: request.toolConfig.toolChoice }),
        ...(request.inferenceConfig && { inferenceConfig: request.inferenceConfig }),
        ...(request.additionalModelRequestFields && {
          additionalModelRequestFields: request.additionalModelRequestFields,
        }),
      }),
    };
    const response = await withRetry(
      request.modelId,
      DEFAULT_RETRY_POLICY,
      () => client.converse(wire, options.signal ? { signal: options.signal } : {}),
      options.signal ? { signal: options.signal } : {},
    );
    usage.inputTokens += response.usage.inputTokens;
    usage.outputTokens += response.usage.outputTokens;
    usage.totalTokens += response.usage.totalTokens;
    const summed = { ...response, usage: { ...response.usage, ...usage } };
    const uses = toolUses(response.output.message.content);
    const mine = uses.filter((u) => !clientNames.has(u.name) && toolset.describe(u.name) !== undefined);
    if (mine.length === 0 || turn >= maxTurns) return { response: summed, calls };
    if (uses.some((u) => clientNames.has(u.name))) {
      const content = response.output.message.content.filter(
        (b) => !('toolUse' in b) || clientNames.has(b.toolUse.name),
      );
      return { response: { ...summed, output: { message: { role: 'assistant', content } } }, calls };
    }
    const signal = options.signal ?? new AbortController().signal;
    const results: ToolResultBlock[] = await Promise.all(
      uses.map((use) => toolset.execute(use, { signal, timeoutMs: options.toolTimeoutMs ?? 60_000 })),
    );
    for (const [i, use] of uses.entries()) {
      const d = toolset.describe(use.name);
      calls.push({
        name: use.name,
        server: d?.server ?? '?',
        tool: d?.tool ?? use.name,
        status: results[i]?.status ?? 'error',
      });
    }
    messages.push(response.output.message, { role: 'user', content: results.map((r) => ({ toolResult: r })) });
  }
}
