/**
 * The seam between the tool loop and whatever runs tools (the MCP hub through the catalog, local tools such as
 * `execute_code`, fakes in tests). The loop only speaks Converse names and Converse blocks through it.
 */
import type { JsonObject, Message, Tool, ToolResultBlock, ToolUseBlock } from '../converse/types.js';
import type { ModelCapabilities } from '../converse/capabilities.js';
import type { SchemaChange } from '../converse/schema-changes.js';

/** MCP tool annotations the approval policy reads (MCP spec: hints, never guarantees). */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** Who answers a Converse tool name: shown to users and given to approval callbacks. */
export interface ToolDescriptor {
  /** The Converse name the model sees. */
  name: string;
  /** The MCP server (or `local`) that owns the tool. */
  server: string;
  /** The tool's own name on that server. */
  tool: string;
  /** A human-readable name (MCP `title`), for people rather than the model. */
  title?: string;
  description: string;
  inputSchema: JsonObject;
  outputSchema?: JsonObject;
  annotations?: ToolAnnotations;
}

/** A progress report from a running tool (MCP `notifications/progress`). */
export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

/** What one call runs with. */
export interface ToolCallContext {
  /** Aborted when the loop is aborted or the call is abandoned; MCP calls then send `notifications/cancelled`. */
  signal: AbortSignal;
  /** Per-call limit; the result is an error result when it passes, never an exception. */
  timeoutMs: number;
  /** Told each progress report, when someone listens. */
  onProgress?: (progress: ToolProgress) => void;
  /** The toolUse being answered, when the loop runs it (for reports that name the call). */
  toolUseId?: string;
}

/** A toolset's Converse tools for one model: tools left out are named in `warnings`, schema edits in `changes`. */
export interface ToolSpecs {
  tools: Tool[];
  warnings: string[];
  /** How schemas were changed for this model, by tool and parameter (docs/schema-translation.md). */
  changes?: SchemaChange[];
}

/** A tool a Converse name resolved to: what it is, and how to run it. */
export interface ResolvedTool {
  readonly descriptor: ToolDescriptor;
  /**
   * Runs one toolUse of this tool. Never throws: failures and timeouts come back as error results. The result is
   * canonical history: `status` is always set; the wire layer (`toWireRequest`) removes or rewrites what a given
   * model does not accept (status, images, json).
   */
  execute(toolUse: ToolUseBlock, context: ToolCallContext): Promise<ToolResultBlock>;
}

/**
 * Whatever runs tools for the loop. A name is resolved once per call (`resolve`), and the result serves both
 * the approval check and the run, however many toolsets are layered (filters, combinations).
 */
export interface Toolset {
  /** Increments whenever the tools change, so callers compile specs once per change, not per turn. */
  readonly version: number;
  list(): readonly ToolDescriptor[];
  /** The tool behind a Converse name, or `undefined` when this toolset offers none by that name. */
  resolve(name: string): ResolvedTool | undefined;
  /**
   * Converse tools for this model family (schemas compiled to its dialect). Tools that cannot be made valid
   * are left out and named in `warnings`.
   */
  toolSpecs(caps: ModelCapabilities): ToolSpecs;
  /**
   * Told the history before each model call, for toolsets that choose what to offer from the conversation
   * (tool search); a change it makes shows in `version`.
   */
  prepare?(messages: readonly Message[]): void;
}
