import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BedrockModelClient, Conversation, HubToolset, McpHub } from '../../bridge/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ANYCOMPANY_SYSTEM_PROMPT } from '../../src/web/anycompany-prompt.js';
import { bundledServers } from '../bridge/servers.js';
import { DIALOGUES } from '../support/anycompany-dialogues.js';

const CLAUDE = 'anthropic.claude-3-sonnet-20240229-v1:0';
let emulator: Emulator;
let hub: McpHub;
let client: BedrockModelClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  hub = new McpHub(bundledServers(['orders']));
  await hub.start();
  client = new BedrockModelClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  });
});
afterAll(async () => {
  await hub.close();
  await emulator.close();
});

const replyOf = (text: string): string | undefined => /<reply>\s*([\s\S]*?)\s*<\/reply>/.exec(text)?.[1];

describe("the AnyCompany sample's dialogues under its system prompt", () => {
  it.each(DIALOGUES.map((d) => [d.name, d] as const))('%s', async (_name, dialogue) => {
    const approvals: string[] = [];
    const conversation = new Conversation({
      client,
      modelId: CLAUDE,
      toolset: new HubToolset(hub),
      system: ANYCOMPANY_SYSTEM_PROMPT,
      approve: async (request) => {
        approvals.push(request.descriptor.tool);
        return true;
      },
    });
    for (const turn of dialogue.turns) {
      const result = await conversation.send(turn.say);
      // Each answer thinks first and replies inside the tags, as the prompt asks; follow-ups use earlier turns.
      expect(result.text).toMatch(/^<thinking>\n[\s\S]+\n<\/thinking>\n\n<reply>\n/);
      expect({ say: turn.say, reply: replyOf(result.text) }).toEqual({ say: turn.say, reply: turn.reply });
      expect(result.toolCalls.map((c) => c.tool)).toEqual(turn.tools);
    }
    expect(approvals).toEqual(dialogue.turns.some((t) => t.approval) ? ['cancel_order'] : []);
  });

  it('answers without tags when the system prompt does not ask for them', async () => {
    const conversation = new Conversation({ client, modelId: CLAUDE, toolset: new HubToolset(hub) });
    await conversation.send('I need help with an order');
    const result = await conversation.send('My order is 32057');
    expect(result.text).toBe('Order 32057 for Terry Whitlock (012347): 1 × Backpack at $59.99, status Shipped.');
  });

  it('does not recall an order id that no earlier turn gave', async () => {
    const conversation = new Conversation({ client, modelId: CLAUDE, toolset: new HubToolset(hub) });
    const result = await conversation.send('Please cancel my order');
    expect(result.toolCalls).toEqual([]);
    expect(result.text).toMatch(/^\[mcp-bedrock emulator\] No scenario matches/);
  });
});
