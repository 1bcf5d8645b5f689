/**
 * Tool search for large catalogs (docs/tool-search.md): when a toolset would send more tools than a threshold
 * (count or estimated tokens), the model gets a small set instead — pinned tools, the tools most relevant to the
 * conversation's first message, and one `search_tools` tool through which it finds and activates the others.
 * Ranking is MiniSearch's BM25 over names, titles, descriptions and parameter names. The set only grows (by
 * activation), so the tool list, and with it the prompt cache, stays stable across turns.
 */
import MiniSearch from 'minisearch';
import type { ModelCapabilities } from '../converse/capabilities.js';
import type { Message, Tool, ToolResultBlock } from '../converse/types.js';
import { globMatcher } from './filter-toolset.js';
import { LocalToolset } from './local-toolset.js';
import type { ResolvedTool, ToolDescriptor, Toolset, ToolSpecs } from './toolset.js';

/** When tool search applies and what it sends. */
export interface ToolSearchOptions {
  /** Search applies when the catalog has more tools than this (default 40). */
  maxTools?: number;
  /** … or when its tool definitions are estimated above this many tokens (default 12,000). */
  maxTokens?: number;
  /** Converse names (or `*` globs) always sent. */
  pinned?: readonly string[];
  /** Tools chosen for the conversation's first user message (default 8). */
  initial?: number;
  /** Most tools one `search_tools` call activates (default 5). */
  searchLimit?: number;
}

/** The name of the search tool the model is given. */
export const SEARCH_TOOLS = 'search_tools';

interface IndexedTool {
  id: string;
  name: string;
  title: string;
  description: string;
  parameters: string;
}

const words = (name: string): string => name.replace(/[_.-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');

function indexed(descriptor: ToolDescriptor): IndexedTool {
  const properties = descriptor.inputSchema['properties'];
  const names = properties && typeof properties === 'object' ? Object.keys(properties) : [];
  return {
    id: descriptor.name,
    name: `${words(descriptor.name)} ${words(descriptor.tool)} ${words(descriptor.server)}`,
    title: descriptor.title ?? '',
    description: descriptor.description,
    parameters: names.map(words).join(' '),
  };
}

function userText(messages: readonly Message[]): string {
  const first = messages.find((m) => m.role === 'user' && m.content.some((b) => 'text' in b));
  return (first?.content ?? []).flatMap((b) => ('text' in b ? [b.text] : [])).join(' ');
}

const estimate = (tools: readonly Tool[]): number => Math.ceil(JSON.stringify(tools).length / 4);

/**
 * `inner` with tool search: below the threshold it is `inner` as it is; above it, the model gets the pinned and
 * most relevant tools and `search_tools`. Calls to any of `inner`'s tools still run, offered or not.
 *
 * @example
 * const toolset = new ToolSearchToolset(new HubToolset(hub), { pinned: ['get_order_by_id'], maxTools: 30 });
 * await runToolLoop('Which invoices are overdue?', { client, modelId, toolset });
 */
export class ToolSearchToolset implements Toolset {
  private readonly active = new Set<string>();
  private readonly search: LocalToolset;
  private index: { version: number; engine: MiniSearch<IndexedTool> } | undefined;
  private chosen = false;
  private activations = 0;
  private readonly options: Required<Omit<ToolSearchOptions, 'pinned'>>;
  private readonly pinned: (name: string) => boolean;

  constructor(
    private readonly inner: Toolset,
    options: ToolSearchOptions = {},
  ) {
    this.options = {
      maxTools: options.maxTools ?? 40,
      maxTokens: options.maxTokens ?? 12_000,
      initial: options.initial ?? 8,
      searchLimit: options.searchLimit ?? 5,
    };
    this.pinned = globMatcher(options.pinned ?? []);
    this.search = new LocalToolset([
      {
        name: SEARCH_TOOLS,
        description:
          'Search the tool catalog: only some tools are offered to you now. Describe what you need to do; the ' +
          'best matching tools are activated and you can call them in your next turn.',
        inputSchema: {
          type: 'object',
          properties: {
            query: { type: 'string', description: 'What the tool should do, in a few words.' },
            limit: {
              type: 'integer',
              description: `How many tools to activate (at most ${this.options.searchLimit}).`,
            },
          },
          required: ['query'],
        },
        annotations: { readOnlyHint: true, openWorldHint: false },
        run: async (input) => this.find(String(input['query'] ?? ''), Number(input['limit'] ?? 0)),
      },
    ]);
  }

  /** Changes when `inner` changes or a search activates tools, so the loop recompiles the tool list then. */
  get version(): number {
    // Both only grow, so their sum changes whenever either does.
    return this.inner.version + this.activations;
  }

  /** Every tool of `inner`, and `search_tools`. */
  list(): readonly ToolDescriptor[] {
    return [...this.search.list(), ...this.inner.list()];
  }

  /** `search_tools`, or `inner`'s tool of that name (offered or not). */
  resolve(name: string): ResolvedTool | undefined {
    return name === SEARCH_TOOLS ? this.search.resolve(name) : this.inner.resolve(name);
  }

  /** Tools the model has now: all of `inner`'s below the threshold; else `search_tools` and the active set. */
  toolSpecs(caps: ModelCapabilities): ToolSpecs {
    const specs = this.inner.toolSpecs(caps);
    if (!this.applies(specs.tools)) return specs;
    const offered = (tool: Tool): boolean =>
      'toolSpec' in tool && (this.active.has(tool.toolSpec.name) || this.pinned(tool.toolSpec.name));
    return {
      tools: [...this.search.toolSpecs(caps).tools, ...specs.tools.filter(offered)],
      warnings: specs.warnings,
      ...(specs.changes && { changes: specs.changes.filter((c) => this.active.has(c.tool) || this.pinned(c.tool)) }),
    };
  }

  /** Chooses the first message's most relevant tools, once per conversation (the loop calls this every turn). */
  prepare(messages: readonly Message[]): void {
    if (this.chosen) return;
    const text = userText(messages);
    if (text === '') return;
    this.chosen = true;
    for (const hit of this.rank(text, this.options.initial)) this.active.add(hit);
  }

  /** Whether the catalog is past the threshold (by the compiled tools' count and estimated tokens). */
  applies(tools: readonly Tool[]): boolean {
    return tools.length > this.options.maxTools || estimate(tools) > this.options.maxTokens;
  }

  private rank(query: string, limit: number): string[] {
    if (this.index?.version !== this.inner.version) {
      const engine = new MiniSearch<IndexedTool>({
        fields: ['name', 'title', 'description', 'parameters'],
        searchOptions: { boost: { name: 3, title: 2 }, prefix: true, fuzzy: 0.2 },
      });
      engine.addAll(this.inner.list().map(indexed));
      this.index = { version: this.inner.version, engine };
    }
    return this.index.engine
      .search(query)
      .slice(0, limit)
      .map((hit) => String(hit.id));
  }

  private find(query: string, limit: number): { content: ToolResultBlock['content']; isError?: boolean } {
    if (query.trim() === '') return { content: [{ text: 'search_tools needs a "query".' }], isError: true };
    const max = Math.min(limit > 0 ? limit : this.options.searchLimit, this.options.searchLimit);
    const hits = this.rank(query, max);
    if (hits.length === 0) return { content: [{ text: `No tool matches "${query}".` }] };
    const fresh = hits.filter((name) => !this.active.has(name));
    for (const name of fresh) this.active.add(name);
    if (fresh.length > 0) this.activations++;
    const lines = hits.map((name) => {
      const descriptor = this.inner.resolve(name)?.descriptor;
      return `- ${name}: ${(descriptor?.description ?? '').split('\n')[0]?.slice(0, 200) ?? ''}`;
    });
    return { content: [{ text: `Activated; call them in your next turn:\n${lines.join('\n')}` }] };
  }
}
