/** Examples for tool-loop.ts and conversation.ts: type-checked by `npm run check`, copied into their TSDoc. */
import {
  BedrockModelClient,
  Conversation,
  HubToolset,
  type McpHub,
  type Message,
  runToolLoop,
} from 'mcp-bedrock-bridge';

export async function runToolLoop_prompt(hub: McpHub): Promise<void> {
  //#region runToolLoop_prompt
  const result = await runToolLoop('Where is my order 14826?', {
    client: new BedrockModelClient({ region: 'us-east-1' }),
    modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    toolset: new HubToolset(hub),
    system: 'You are a support agent for AnyCompany.',
    limits: { maxTurns: 10, toolTimeoutMs: 30_000 },
    onEvent: (event) => {
      if (event.type === 'text-delta') process.stdout.write(event.text);
    },
  });
  console.log(result.stopReason, result.toolCalls.length, result.usage.totalTokens);
  //#endregion runToolLoop_prompt
}

export async function runToolLoop_history(hub: McpHub, saved: Message[]): Promise<void> {
  //#region runToolLoop_history
  const messages: Message[] = [...saved, { role: 'user', content: [{ text: 'And cancel it, please.' }] }];
  await runToolLoop(messages, {
    client: new BedrockModelClient({ region: 'us-east-1' }),
    modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    toolset: new HubToolset(hub),
    // Destructive tools are asked about; anything else runs.
    approve: async (request) => ({ approved: request.descriptor.tool !== 'cancel_order', reason: 'not today' }),
  });
  // `messages` now ends with the model's answer and is valid to send again.
  //#endregion runToolLoop_history
}

export async function Conversation_chat(hub: McpHub): Promise<void> {
  //#region Conversation_chat
  const chat = new Conversation({
    client: new BedrockModelClient({ region: 'us-east-1' }),
    modelId: 'us.amazon.nova-pro-v1:0',
    toolset: new HubToolset(hub),
  });
  await chat.send('Which orders does customer 678902 have?');
  const reply = await chat.send('Which of them shipped?');
  console.log(reply.text, chat.usage.totalTokens);
  //#endregion Conversation_chat
}
