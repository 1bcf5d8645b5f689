/**
 * Tool search (docs/tool-search.md): a catalog past the threshold is sent as `search_tools` plus a small set, the
 * model activates tools mid-conversation (the emulator's scenario calls `search_tools` first), and the tool list
 * stays stable across turns.
 */
import { describe, expect, it } from 'vitest';
import {
  LocalToolset,
  runToolLoop,
  SEARCH_TOOLS,
  ToolSearchToolset,
  type ConverseRequest,
  type LocalTool,
} from '../../bridge/index.js';
import { capabilitiesFor } from '../../bridge/entries/converse.js';
import { emulatorWithClient } from '../support/emulator-client.js';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const emu = emulatorWithClient();
const { sent } = emu;

const tool = (name: string, description: string, run = async (): Promise<string> => 'ok'): LocalTool => ({
  name,
  description,
  inputSchema: { type: 'object', properties: { message: { type: 'string' } } },
  run,
});
const fillers = Array.from({ length: 60 }, (_, i) =>
  tool(`inventory_report_${i}`, `Stock report number ${i} for a warehouse`),
);
const echo = tool('echo', 'Echoes back the message it is given', async () => 'Echo: hello');
const catalog = new LocalToolset([...fillers, echo]);
const names = (req: ConverseRequest | undefined): string[] =>
  (req?.toolConfig?.tools ?? []).flatMap((t) => ('toolSpec' in t ? [t.toolSpec.name] : []));

describe('ToolSearchToolset', () => {
  it('below the threshold the catalog is sent as it is, without search_tools', () => {
    const small = new ToolSearchToolset(new LocalToolset([echo]));
    expect(small.toolSpecs(capabilitiesFor(MODEL)).tools.map((t) => 'toolSpec' in t && t.toolSpec.name)).toEqual([
      'echo',
    ]);
  });

  it('past it: search_tools, pinned tools and the first message’s most relevant tools', () => {
    const search = new ToolSearchToolset(catalog, { pinned: ['inventory_report_59'], initial: 3 });
    search.prepare([{ role: 'user', content: [{ text: 'please echo my message' }] }]);
    const sentNames = search
      .toolSpecs(capabilitiesFor(MODEL))
      .tools.flatMap((t) => ('toolSpec' in t ? [t.toolSpec.name] : []));
    expect(sentNames[0]).toBe(SEARCH_TOOLS);
    expect(sentNames).toContain('echo');
    expect(sentNames).toContain('inventory_report_59');
    expect(sentNames.length).toBeLessThanOrEqual(5);
  });

  it('the model activates a tool mid-conversation through search_tools, and the tool list then holds', async () => {
    // No initial picks: the echo tool is reachable only through the search.
    const toolset = new ToolSearchToolset(catalog, { initial: 0 });
    sent.length = 0;
    const result = await runToolLoop('Echo hello through the catalog', { client: emu.client, modelId: MODEL, toolset });
    expect(result.text).toBe('The server said: Echo: hello');
    expect(result.toolCalls.map((c) => c.name)).toEqual([SEARCH_TOOLS, 'echo']);
    expect(names(sent[0])).toEqual([SEARCH_TOOLS]);
    expect(names(sent[1])).toContain('echo');
    expect(names(sent[1]).length).toBeLessThanOrEqual(6);
    // The third request sends the same list as the second: nothing changes unless a search activates more.
    expect(names(sent[2])).toEqual(names(sent[1]));
  });
});
