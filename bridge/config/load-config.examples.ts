/** Examples for load-config.ts and approval.ts: type-checked by `npm run check`, copied into their TSDoc. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BedrockModelClient, HubToolset, McpHub, runToolLoop } from 'mcp-bedrock-bridge';
import { loadMcpConfig, needsApprovalFor } from 'mcp-bedrock-bridge/config';

export async function loadMcpConfig_claudeDesktop(): Promise<void> {
  //#region loadMcpConfig_claudeDesktop
  const file = join(homedir(), 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
  const hub = new McpHub(await loadMcpConfig(file));
  await hub.start();
  //#endregion loadMcpConfig_claudeDesktop
}

export async function needsApprovalFor_loop(): Promise<void> {
  //#region needsApprovalFor_loop
  const servers = await loadMcpConfig('.vscode/mcp.json');
  const hub = new McpHub(servers);
  await hub.start();
  await runToolLoop('Cancel order 14826', {
    client: new BedrockModelClient({ region: 'us-east-1' }),
    modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    toolset: new HubToolset(hub),
    needsApproval: needsApprovalFor(servers),
    approve: async (request) => request.descriptor.server === 'orders',
  });
  //#endregion needsApprovalFor_loop
}
