/**
 * The tool calls of one program, as the parent checks and runs them: only the program's tools, at most
 * `maxToolCalls`, arguments measured on their raw bytes (an oversized body was skipped unread) and then checked
 * against the tool's MCP schema with ajv, at most `maxConcurrentCalls` at once, each under `toolTimeoutMs`,
 * results cut to `maxPayloadBytes`. When the program ends, calls in flight are cancelled and queued ones dropped.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { JsonObject } from '../../bridge/index.js';
import { oversizeArguments } from './protocol.js';
import type { CodeTool } from './python-stubs.js';
import type { SandboxLimits } from './sandbox-limits.js';

/** Runs the tools Python asks for; the sandbox has already checked name and arguments. */
export interface ToolInvoker {
  call(name: string, args: JsonObject, signal: AbortSignal): Promise<{ isError: boolean; text: string }>;
}

const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();

/** Compiled once per distinct schema, not per call. */
function validatorFor(schema: JsonObject): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

function argumentErrors(tool: CodeTool, args: unknown): string | undefined {
  const validate = validatorFor(tool.inputSchema);
  if (validate(args)) return undefined;
  return (validate.errors ?? [])
    .map(
      (e) =>
        `${e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'arguments'} ${e.message ?? 'is invalid'}`,
    )
    .join('; ');
}

/** Cuts text to `bytes` of UTF-8 (a character split at the cut becomes U+FFFD). */
function cutBytes(text: string, bytes: number): string {
  return Buffer.byteLength(text) <= bytes ? text : `${Buffer.from(text).subarray(0, bytes).toString()}[truncated]`;
}

/** Answers one call to the program: ok with the tool's text, or an error the program sees as ToolError. */
export type Reply = (callId: number, ok: boolean, text: string) => void;

export class ToolCalls {
  private readonly allowed: Map<string, CodeTool>;
  private readonly controller = new AbortController();
  private readonly waiting: (() => void)[] = [];
  private inFlight = 0;
  /** Calls the program made, refused ones included. */
  calls = 0;
  /** The most calls that ran at once. */
  maxInFlight = 0;

  constructor(
    tools: readonly CodeTool[],
    private readonly invoker: ToolInvoker,
    private readonly limits: SandboxLimits,
    private readonly reply: Reply,
  ) {
    this.allowed = new Map(tools.map((t) => [t.name, t]));
  }

  /** The program ended: cancel what runs, drop what waits. */
  end(): void {
    this.controller.abort();
  }

  async handle(callId: number, name: string, body: Buffer | undefined, bytes: number): Promise<void> {
    const { limits, reply } = this;
    if (++this.calls > limits.maxToolCalls)
      return reply(callId, false, `too many tool calls (limit ${limits.maxToolCalls})`);
    const tool = this.allowed.get(name);
    if (!tool) return reply(callId, false, `tool ${name} is not available to this code`);
    // Measured on the raw bytes: an oversized body was skipped unread and is never parsed.
    if (!body) return reply(callId, false, oversizeArguments(bytes, limits.maxPayloadBytes));
    let args: unknown;
    try {
      args = JSON.parse(body.toString('utf8'));
    } catch {
      return reply(callId, false, `arguments for ${name} are not JSON`);
    }
    const invalid = argumentErrors(tool, args);
    if (invalid) return reply(callId, false, `invalid arguments for ${name}: ${invalid}`);
    if (this.inFlight >= limits.maxConcurrentCalls) await new Promise<void>((resolve) => this.waiting.push(resolve));
    // A call that waited for a slot while the program ended must not run after it.
    if (this.controller.signal.aborted) return this.waiting.shift()?.();
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(limits.toolTimeoutMs)]);
    try {
      const result = await Promise.race([
        this.invoker.call(name, args as JsonObject, signal),
        new Promise<never>((_, reject) =>
          signal.addEventListener(
            'abort',
            () => reject(new Error(`${name} timed out after ${limits.toolTimeoutMs} ms`)),
            { once: true },
          ),
        ),
      ]);
      reply(callId, !result.isError, cutBytes(result.text, limits.maxPayloadBytes));
    } catch (error) {
      reply(callId, false, (error as Error).message);
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }
}
