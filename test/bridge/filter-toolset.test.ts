import { executeTool } from '../../bridge/index.js';
import { describe, expect, it } from 'vitest';
import { filterToolset, globMatcher } from '../../bridge/tools/filter-toolset.js';
import { LocalToolset } from '../../bridge/tools/local-toolset.js';
import { capabilitiesFor } from '../../bridge/converse/capabilities.js';

const caps = capabilitiesFor('anthropic.claude-3-haiku-20240307-v1:0');
const schema = { type: 'object', properties: {} };
const inner = new LocalToolset([
  { name: 'get_order', description: 'read', inputSchema: schema, run: async () => 'order' },
  { name: 'cancel_order', description: 'write', inputSchema: schema, run: async () => 'cancelled' },
]);

describe('filterToolset', () => {
  it('hides denied tools from the model and refuses to run them', async () => {
    const deny = globMatcher(['cancel_*']);
    const view = filterToolset(inner, (d) => !deny(d.tool));
    expect(view.list().map((d) => d.name)).toEqual(['get_order']);
    expect(view.toolSpecs(caps).tools.map((t) => ('toolSpec' in t ? t.toolSpec.name : ''))).toEqual(['get_order']);
    const context = { signal: new AbortController().signal, timeoutMs: 1000 };
    const refused = await executeTool(view, { toolUseId: 't1', name: 'cancel_order', input: {} }, context);
    expect(refused.status).toBe('error');
    expect(JSON.stringify(refused.content)).toContain('Available tools: get_order');
    const allowed = await executeTool(view, { toolUseId: 't2', name: 'get_order', input: {} }, context);
    expect(allowed.content).toEqual([{ text: 'order' }]);
  });

  it('matches globs literally apart from *', () => {
    const match = globMatcher(['get.*', 'x*y']);
    expect(match('get.order')).toBe(true);
    expect(match('getXorder')).toBe(false);
    expect(match('x-any-y')).toBe(true);
  });
});
