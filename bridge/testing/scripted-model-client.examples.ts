/** Examples for scripted-model-client.ts: type-checked by `npm run check`, copied into its TSDoc. */
import { LocalToolset, runToolLoop } from 'mcp-bedrock-bridge';
import { reply, ScriptedModelClient, textTurn } from 'mcp-bedrock-bridge/testing';

export async function ScriptedModelClient_test(): Promise<void> {
  //#region ScriptedModelClient_test
  const client = new ScriptedModelClient([
    reply([{ toolUse: { toolUseId: 't1', name: 'add', input: { a: 2, b: 3 } } }], 'tool_use'),
    (request) => textTurn(`The tool said ${JSON.stringify(request.messages.at(-1)?.content)}`),
  ]);
  const toolset = new LocalToolset([
    {
      name: 'add',
      description: 'Adds two numbers.',
      inputSchema: { type: 'object' },
      run: async (i) => `${Number(i['a']) + Number(i['b'])}`,
    },
  ]);
  const result = await runToolLoop('What is 2 + 3?', { client, modelId: 'us.amazon.nova-pro-v1:0', toolset });
  console.log(result.toolCalls[0]?.status, client.requests.length); // success 2
  //#endregion ScriptedModelClient_test
}
