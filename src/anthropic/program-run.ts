/**
 * One request's tool loop, which may outlive the request (docs/anthropic.md, "Programmatic tool calling"). The
 * loop runs in the background on the bridge's `runToolLoop`; with a code-execution tool the model gets an
 * `execute_code` tool whose programs run in the sandbox. A program's call of an MCP tool configured here runs at
 * once; its call of a client tool waits: the calls made within a short window are handed to the request as one
 * batch (the response's `tool_use` blocks), the program stays suspended in its sandbox, and the next request,
 * naming this run's container, answers them and the program goes on.
 */
import {
  combineToolsets,
  filterToolset,
  LocalToolset,
  runToolLoop,
  type ApprovalDecision,
  type ApprovalRequest,
  type JsonObject,
  type LocalTool,
  type LoopLimits,
  type Message,
  type ModelClient,
  type ToolDescriptor,
  type ToolLoopResult,
  type Toolset,
} from '../../bridge/index.js';
import { toolNames } from '../../bridge/entries/converse.js';
import {
  executeCodeTool,
  toolsetInvoker,
  type CodeTool,
  type SandboxPool,
  type ToolInvoker,
} from '../sandbox/index.js';
import type { MessagesUsage } from '../http/anthropic-messages.js';
import { anthropicId, serverToolId, type ProgramOutcome } from './from-converse.js';
import type { CodeExecutionType } from './messages-schema.js';
import { EXECUTE_CODE_TOOL, type ConverseParts } from './to-converse.js';

/** Everything a run needs besides the request. */
export interface RunOptions {
  client: ModelClient;
  modelId: string;
  parts: ConverseParts;
  /** MCP tools configured on the server side: run here, directly or from programs. */
  mcpTools?: Toolset;
  /** Where programs run; needed when the request has a code-execution tool. */
  pool?: SandboxPool;
  /** Who sent the request (a digest of its key), so only they may resume it. */
  owner: string;
  needsApproval: (descriptor: ToolDescriptor) => boolean;
  approve: (request: ApprovalRequest) => Promise<ApprovalDecision>;
  limits: Partial<LoopLimits>;
}

/** A call of a client tool by a program, for the client to answer. */
export interface ClientCall {
  id: string;
  name: string;
  input: JsonObject;
  /** The server_tool_use id of the program that made it. */
  toolId: string;
}

/** What a request waits for: a batch of client calls, or the loop's end. */
export type RunStep =
  | { kind: 'calls'; calls: ClientCall[] }
  | { kind: 'done'; result: ToolLoopResult }
  | { kind: 'failed'; error: unknown };

/** A client's answer to one call. */
export interface ClientAnswer {
  isError: boolean;
  text: string;
}

/** Calls made within this long of each other go to the client in one response (programs fan out with gather). */
const BATCH_MS = 50;

/** One request's loop and, with code execution, its container. */
export class ProgramRun {
  /** The container id the client resumes it by. */
  readonly id = anthropicId('container');
  readonly owner: string;
  readonly codeExecution?: CodeExecutionType;
  /** Names of the client's own tools (direct ones), whose calls the response shows. */
  readonly clientTools: ReadonlySet<string>;
  /** What each finished program printed, by its execute_code toolUseId. */
  readonly outcomes = new Map<string, ProgramOutcome>();
  private readonly history: Message[];
  private cursor: number;
  private usage: MessagesUsage = emptyUsage();
  private readonly pending = new Map<string, { call: ClientCall; resolve: (answer: ClientAnswer) => void }>();
  private unreported: ClientCall[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private batchReady = false;
  private settled: RunStep | undefined;
  private notify: () => void = () => {};
  private readonly abort = new AbortController();
  private readonly claimed = new Set<string>();

  constructor(options: RunOptions) {
    const { parts } = options;
    this.owner = options.owner;
    if (parts.tools.codeExecution) this.codeExecution = parts.tools.codeExecution.type;
    this.clientTools = toolNames(parts.tools.direct);
    this.history = [...parts.messages];
    this.cursor = this.history.length;
    const toolset = this.toolset(options);
    runToolLoop(this.history, {
      client: options.client,
      modelId: options.modelId,
      toolset,
      // One Converse call per turn; a streamed response is written from the finished turn.
      stream: false,
      // The client's history goes as sent: its mistakes come back as the model's own errors.
      repairHistory: false,
      callerTools: parts.tools.direct,
      ...(parts.system && { system: parts.system }),
      ...(parts.inferenceConfig && { inferenceConfig: parts.inferenceConfig }),
      ...(parts.toolChoice && { toolChoice: parts.toolChoice }),
      ...(parts.additionalModelRequestFields && { additionalModelRequestFields: parts.additionalModelRequestFields }),
      needsApproval: options.needsApproval,
      approve: options.approve,
      limits: options.limits,
      signal: this.abort.signal,
      onEvent: (event) => {
        if (event.type !== 'turn-end') return;
        const u = event.turn.usage;
        this.usage.input_tokens += u.inputTokens;
        this.usage.output_tokens += u.outputTokens;
        this.usage.cache_read_input_tokens += u.cacheReadInputTokens;
        this.usage.cache_creation_input_tokens += u.cacheWriteInputTokens;
      },
    }).then(
      (result) => this.settle({ kind: 'done', result }),
      (error: unknown) => this.settle({ kind: 'failed', error }),
    );
  }

  /** The loop's toolset: the MCP tools, and with code execution the execute_code tool over them and the client's. */
  private toolset(options: RunOptions): Toolset {
    const { parts, mcpTools } = options;
    if (!parts.tools.codeExecution) return mcpTools ?? new LocalToolset([]);
    if (!options.pool) throw new Error('a code-execution request needs a sandbox pool');
    const clientNames = new Set(parts.tools.programmatic.map((t) => t.name));
    // MCP tools that need approval stay direct tools: a program cannot ask for it (docs/security.md, "Approval").
    const inCode = (mcpTools?.list() ?? []).filter((d) => !options.needsApproval(d) && !clientNames.has(d.name));
    const inCodeNames = new Set(inCode.map((d) => d.name));
    const codeTools: CodeTool[] = [
      ...inCode.map((d) => ({
        name: d.name,
        description: d.description,
        inputSchema: d.inputSchema,
        ...(d.outputSchema && { outputSchema: d.outputSchema }),
      })),
      ...parts.tools.programmatic,
    ];
    const mcpInvoker = mcpTools && toolsetInvoker(mcpTools);
    const pool = options.pool;
    const programFor = (toolUseId: string): LocalTool => {
      const invoker: ToolInvoker = {
        call: (name, args, signal) =>
          clientNames.has(name) || !mcpInvoker
            ? this.callClient({ id: anthropicId('toolu'), name, input: args, toolId: serverToolId(toolUseId) }, signal)
            : mcpInvoker.call(name, args, signal),
      };
      return executeCodeTool({
        tools: codeTools,
        invoker,
        pool,
        approvalFree: true,
        onOutcome: (_code, result) => {
          const error = result.error && !result.stderr.includes(result.error) ? result.error : '';
          this.outcomes.set(toolUseId, {
            stdout: result.stdout,
            stderr: [result.stderr.trimEnd(), error].filter((s) => s !== '').join('\n'),
            returnCode: result.status === 'ok' ? 0 : 1,
          });
        },
      });
    };
    const template = programFor('');
    const tool: LocalTool = {
      ...template,
      name: EXECUTE_CODE_TOOL,
      run: (input, context) => programFor(this.claim(input)).run(input, context),
    };
    const direct = mcpTools ? [filterToolset(mcpTools, (d) => !inCodeNames.has(d.name))] : [];
    return combineToolsets([...direct, new LocalToolset([tool], 'code_execution')]);
  }

  /** The execute_code call a starting program belongs to: the first unclaimed one with its code in the last turn. */
  private claim(input: JsonObject): string {
    const last = this.history.findLast((m) => m.role === 'assistant');
    for (const block of last?.content ?? []) {
      if (!('toolUse' in block) || block.toolUse.name !== EXECUTE_CODE_TOOL) continue;
      const { toolUseId, input: callInput } = block.toolUse;
      const code = (callInput as JsonObject | null)?.['code'];
      if (!this.claimed.has(toolUseId) && code === input['code']) {
        this.claimed.add(toolUseId);
        return toolUseId;
      }
    }
    return anthropicId('tooluse');
  }

  private callClient(call: ClientCall, signal: AbortSignal): Promise<ClientAnswer> {
    return new Promise<ClientAnswer>((resolve) => {
      this.pending.set(call.id, { call, resolve });
      this.unreported.push(call);
      signal.addEventListener(
        'abort',
        () => {
          this.pending.delete(call.id);
          resolve({ isError: true, text: `TimeoutError: Calling tool ['${call.name}'] timed out.` });
        },
        { once: true },
      );
      clearTimeout(this.batchTimer);
      this.batchTimer = setTimeout(() => {
        this.batchReady = true;
        this.notify();
      }, BATCH_MS);
    });
  }

  private settle(step: RunStep): void {
    clearTimeout(this.batchTimer);
    this.settled = step;
    this.notify();
  }

  /** Waits for the next batch of client calls, or the loop's end. */
  async next(): Promise<RunStep> {
    for (;;) {
      if (this.settled) return this.settled;
      if (this.batchReady && this.unreported.length > 0) {
        const calls = this.unreported;
        this.unreported = [];
        this.batchReady = false;
        return { kind: 'calls', calls };
      }
      await new Promise<void>((resolve) => {
        this.notify = resolve;
      });
    }
  }

  /** Calls the client was shown and has not answered. */
  get awaiting(): ClientCall[] {
    const shown = new Set(this.unreported.map((c) => c.id));
    return [...this.pending.values()].map((p) => p.call).filter((c) => !shown.has(c.id));
  }

  /** Answers the client's calls; the message says what is missing or unknown, else undefined. */
  answer(answers: ReadonlyMap<string, ClientAnswer>): string | undefined {
    const awaiting = this.awaiting;
    const ids = new Set(awaiting.map((c) => c.id));
    const unknown = [...answers.keys()].filter((id) => !ids.has(id));
    if (unknown.length > 0)
      return `tool_result for ${unknown.join(', ')}: no such pending call in container ${this.id}`;
    const missing = awaiting.filter((c) => !answers.has(c.id)).map((c) => c.id);
    if (missing.length > 0)
      return `the program in container ${this.id} waits for tool_result blocks for ${missing.join(', ')}`;
    for (const [id, answer] of answers) {
      const entry = this.pending.get(id);
      this.pending.delete(id);
      entry?.resolve(answer);
    }
    return undefined;
  }

  /** The turns and usage since the last response, for the next one. */
  take(): { turns: Message[]; usage: MessagesUsage } {
    const turns = this.history.slice(this.cursor);
    this.cursor = this.history.length;
    const usage = this.usage;
    this.usage = emptyUsage();
    return { turns, usage };
  }

  /** Stops the loop and its program (the container expired, or the server closes). */
  close(): void {
    clearTimeout(this.batchTimer);
    this.abort.abort(new Error(`container ${this.id} expired`));
  }
}

function emptyUsage(): MessagesUsage {
  return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}
