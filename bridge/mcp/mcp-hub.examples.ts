/** Examples for mcp-hub.ts and hub-toolset.ts: type-checked by `npm run check`, copied into their TSDoc. */
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { HubToolset, McpHub } from 'mcp-bedrock-bridge';
import { loadMcpConfig } from 'mcp-bedrock-bridge/config';

export async function McpHub_servers(): Promise<void> {
  //#region McpHub_servers
  const hub = new McpHub(
    [
      { name: 'orders', transport: 'stdio', command: 'npx', args: ['mcp-orders'] },
      {
        name: 'search',
        transport: 'http',
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: 'Bearer …' },
      },
    ],
    { onEvent: (event) => event.type === 'server-status' && console.error(event.server, event.status) },
  );
  await hub.start(); // resolves when every server has connected or failed; one failure never stops the others
  for (const server of hub.servers()) console.log(server.name, server.status, server.tools.length);
  await hub.close();
  //#endregion McpHub_servers
}

export async function McpHub_configFile(): Promise<void> {
  //#region McpHub_configFile
  const hub = new McpHub(await loadMcpConfig('.vscode/mcp.json'));
  await hub.start();
  //#endregion McpHub_configFile
}

export async function McpHub_transport(server: McpServer): Promise<void> {
  //#region McpHub_transport
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const hub = new McpHub([{ name: 'in-process', transport: clientSide }]);
  await hub.start();
  //#endregion McpHub_transport
}

export async function HubToolset_names(hub: McpHub): Promise<void> {
  //#region HubToolset_names
  const toolset = new HubToolset(hub, { alwaysPrefix: true });
  console.log(toolset.list().map((tool) => `${tool.name} = ${tool.server}/${tool.tool}`));
  // e.g. "orders__get_order = orders/get_order"
  //#endregion HubToolset_names
}
