import { BedrockModelClient, HubToolset, McpHub, runToolLoop } from 'mcp-bedrock-bridge';

const hub = new McpHub([
  { name: 'radio', transport: 'stdio', command: 'npx', args: ['mcp-radio'] },
  { name: 'utilities', transport: 'stdio', command: 'npx', args: ['mcp-utilities'] },
]);
await hub.start();
const result = await runToolLoop('What is the most popular song on WZPZ?', {
  client: new BedrockModelClient({ region: 'us-east-1' }),
  modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  toolset: new HubToolset(hub),
});
console.log(result.text);
await hub.close();
