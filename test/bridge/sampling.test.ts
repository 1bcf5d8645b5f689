import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BedrockModelClient,
  bedrockSampling,
  HubToolset,
  McpHub,
  type ServerConfig,
  executeTool,
} from '../../bridge/index.js';
import { samplingRequest } from '../../bridge/entries/converse.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const EVERYTHING: ServerConfig = {
  name: 'everything',
  transport: 'stdio',
  command: process.execPath,
  args: [
    join(process.cwd(), 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js'),
    'stdio',
  ],
};
const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const context = () => ({ signal: new AbortController().signal, timeoutMs: 10_000 });

let emulator: Emulator;
let client: BedrockModelClient;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  client = new BedrockModelClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});

describe('MCP sampling answered by a Bedrock model', () => {
  it('advertises sampling only with a handler: server-everything lists its sampling tool only then', async () => {
    const plain = new McpHub([EVERYTHING]);
    const sampling = new McpHub([EVERYTHING], { sampling: bedrockSampling(client, CLAUDE) });
    await Promise.all([plain.start(), sampling.start()]);
    try {
      expect(new HubToolset(plain).list().map((d) => d.tool)).not.toContain('trigger-sampling-request');
      expect(new HubToolset(sampling).list().map((d) => d.tool)).toContain('trigger-sampling-request');
    } finally {
      await Promise.all([plain.close(), sampling.close()]);
    }
  });

  it("runs a server's sampling request as a Converse call and hands the model's text back to the server", async () => {
    const hub = new McpHub([EVERYTHING], { sampling: bedrockSampling(client, CLAUDE) });
    await hub.start();
    try {
      const toolset = new HubToolset(hub);
      const use = {
        toolUseId: 'tooluse_sampling',
        name: 'trigger-sampling-request',
        input: { prompt: 'name a colour', maxTokens: 64 },
      };
      const result = await executeTool(toolset, use, context());
      const sent = emulator.requests.at(-1)?.body as {
        system?: unknown;
        inferenceConfig?: unknown;
        messages?: unknown;
      };
      expect(sent.system).toEqual([{ text: 'You are a helpful test server.' }]);
      expect(sent.inferenceConfig).toEqual({ maxTokens: 64, temperature: 0.7 });
      expect(sent.messages).toEqual([
        { role: 'user', content: [{ text: 'Resource trigger-sampling-request context: name a colour' }] },
      ]);
      expect(result.status).toBe('success');
      // The emulator's answer, as the model's, reached the server and came back in its tool result.
      expect(JSON.stringify(result.content)).toContain('[mcp-bedrock emulator] No scenario matches');
    } finally {
      await hub.close();
    }
  });

  it('turns an assistant-first, same-role sampling history into one Bedrock accepts', () => {
    const request = samplingRequest(
      {
        messages: [
          { role: 'assistant', content: { type: 'text', text: 'Earlier answer' } },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'part one' },
              { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
            ],
          },
          { role: 'user', content: { type: 'text', text: 'part two' } },
        ],
        maxTokens: 10,
      },
      CLAUDE,
    );
    expect(request.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(request.messages[2]?.content).toEqual([
      { text: 'part one' },
      { text: '[audio (audio/wav) not shown: Bedrock models cannot read audio here]' },
      { text: 'part two' },
    ]);
    expect(request.inferenceConfig).toEqual({ maxTokens: 10 });
  });
});
