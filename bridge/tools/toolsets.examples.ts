/** Examples for local-toolset.ts, filter-toolset.ts and execute-tool.ts: type-checked, copied into their TSDoc. */
import { combineToolsets, executeTool, filterToolset, HubToolset, LocalToolset, type McpHub } from 'mcp-bedrock-bridge';

export function LocalToolset_weather(): LocalToolset {
  //#region LocalToolset_weather
  const local = new LocalToolset([
    {
      name: 'get_weather',
      description: 'Current weather for a city.',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      annotations: { readOnlyHint: true },
      run: async (input) => `Sunny in ${String(input['city'])}, 21 °C`,
    },
  ]);
  //#endregion LocalToolset_weather
  return local;
}

export function filterToolset_readOnly(hub: McpHub): void {
  //#region filterToolset_readOnly
  const readOnly = filterToolset(new HubToolset(hub), (tool) => tool.annotations?.readOnlyHint === true);
  //#endregion filterToolset_readOnly
  void readOnly;
}

export function combineToolsets_hubAndLocal(hub: McpHub, local: LocalToolset): void {
  //#region combineToolsets_hubAndLocal
  const toolset = combineToolsets([new HubToolset(hub), local]);
  //#endregion combineToolsets_hubAndLocal
  void toolset;
}

export async function executeTool_direct(hub: McpHub): Promise<void> {
  //#region executeTool_direct
  const result = await executeTool(
    new HubToolset(hub),
    { toolUseId: 'manual-1', name: 'top_song', input: { sign: 'WZPZ' } },
    { signal: AbortSignal.timeout(10_000), timeoutMs: 10_000 },
  );
  console.log(result.status, result.content);
  //#endregion executeTool_direct
}
