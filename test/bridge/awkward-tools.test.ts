import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BedrockModelClient,
  HubToolset,
  McpHub,
  ModelCallError,
  type Message,
  executeTool,
} from '../../bridge/index.js';
import { capabilitiesFor, requestTools, toWireRequest } from '../../bridge/entries/converse.js';
import { OFF_SCRIPT_STOP_REASON, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { FAMILY_MODELS } from './families.js';

const fixture = (file: string) => join(process.cwd(), 'fixtures', 'mcp-tools', file);
let hub: McpHub;
let emulator: Emulator;
let client: BedrockModelClient;

beforeAll(async () => {
  hub = new McpHub([
    {
      name: 'awkward',
      transport: 'stdio',
      command: process.execPath,
      args: [fixture('serve-tools.mjs'), fixture('awkward-a.json')],
    },
    {
      name: 'awkward.second',
      transport: 'stdio',
      command: process.execPath,
      args: [fixture('serve-tools.mjs'), fixture('awkward-b.json')],
    },
  ]);
  await hub.start();
  emulator = await startEmulator({ port: 0 });
  client = new BedrockModelClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
  });
});
afterAll(async () => {
  await hub.close();
  await emulator.close();
});

describe('awkward real-world tool definitions', () => {
  it('gets a valid, unique Converse name for every tool, prefixed only where names collide', () => {
    const toolset = new HubToolset(hub);
    const names = toolset.list().map((d) => d.name);
    expect(names).toHaveLength(34);
    expect(new Set(names).size).toBe(34);
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(names).toContain('awkward__duplicate');
    expect(names).toContain('awkward_second__duplicate');
    expect(names).toContain('files_read');
    for (const d of toolset.list()) expect(d.description.length).toBeGreaterThan(0);
  });

  it.each(FAMILY_MODELS)(
    'compiles every tool for %s and Bedrock accepts the request, tool history included',
    async (modelId) => {
      const toolset = new HubToolset(hub);
      const caps = capabilitiesFor(modelId);
      // What one request sends: the specs with the per-request limits (Claude's union cap) applied.
      const { tools, warnings } = requestTools(toolset, caps);
      expect(warnings).toEqual([
        'tool awkward/array_root left out: its input schema\'s root type is "array", not object',
      ]);
      expect(tools).toHaveLength(33);
      const history: Message[] = [
        { role: 'user', content: [{ text: 'Look up the user' }] },
        {
          role: 'assistant',
          content: [
            { text: 'Calling.' },
            { toolUse: { toolUseId: 'tooluse_1', name: 'dotted_keys', input: { user_name: 'ana' } } },
          ],
        },
        {
          role: 'user',
          content: [{ toolResult: { toolUseId: 'tooluse_1', status: 'success', content: [{ json: { ok: true } }] } }],
        },
      ];
      const request = toWireRequest({ modelId, caps, messages: history, system: [{ text: 'Be brief.' }], tools });
      const answer = await client.converse(request).catch((error: unknown) => error);
      if (answer instanceof ModelCallError) throw new Error(`${modelId}: ${answer.message}`);
      // Accepted: the emulator validated the request and, with no scenario for it, says so in its own voice.
      expect(answer).toMatchObject({ stopReason: OFF_SCRIPT_STOP_REASON });
    },
  );

  it('renames property keys Bedrock rejects and gives the server its own names back', async () => {
    const toolset = new HubToolset(hub);
    const caps = capabilitiesFor('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    const spec = toolset.toolSpecs(caps).tools.find((t) => 'toolSpec' in t && t.toolSpec.name === 'dotted_keys');
    expect(
      Object.keys(
        (spec as unknown as { toolSpec: { inputSchema: { json: { properties: object } } } }).toolSpec.inputSchema.json
          .properties,
      ),
    ).toEqual(['user_name', 'user_email', 'page_size']);
    const result = await executeTool(
      toolset,
      { toolUseId: 't', name: 'dotted_keys', input: { user_name: 'ana', page_size: 5 } },
      {
        signal: new AbortController().signal,
        timeoutMs: 5_000,
      },
    );
    expect(result.content).toEqual([
      { text: JSON.stringify({ tool: 'dotted_keys', arguments: { 'user.name': 'ana', 'page size': 5 } }) },
    ]);
  });

  it('inlines recursive $refs and strips $defs for Nova', () => {
    const toolset = new HubToolset(hub);
    const nova = toolset.toolSpecs(capabilitiesFor('amazon.nova-lite-v1:0')).tools;
    const text = JSON.stringify(nova);
    expect(text).not.toMatch(/"\$(defs|ref|schema|id)"|"definitions"/);
    const tree = nova.find((t) => 'toolSpec' in t && t.toolSpec.name === 'recursive_tree') as {
      toolSpec: { inputSchema: { json: unknown } };
    };
    expect(JSON.stringify(tree.toolSpec.inputSchema.json)).toContain('"children"');
  });

  it('answers a call to a tool that does not exist with an error listing the tools', async () => {
    const toolset = new HubToolset(hub);
    const result = await executeTool(
      toolset,
      { toolUseId: 't', name: 'module.fn', input: {} },
      {
        signal: new AbortController().signal,
        timeoutMs: 1000,
      },
    );
    expect(result.status).toBe('error');
    expect(result.content[0]).toMatchObject({
      text: expect.stringContaining(
        'There is no tool named "module.fn". Available tools: awkward__search_web, files_read',
      ),
    });
  });
});
