// The README's "Use the Anthropic SDK with Bedrock" code, type-checked against the official SDK.
//#region client
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({ baseURL: 'http://127.0.0.1:8789', apiKey: 'your-endpoint-key' });

const message = await client.messages.create({
  model: 'claude-sonnet-4-5-20250929',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello, Claude' }],
});
console.log(message.content);
//#endregion client

//#region ptc
const response = await client.beta.messages.create({
  model: 'claude-sonnet-4-5-20250929',
  max_tokens: 4096,
  betas: ['advanced-tool-use-2025-11-20'],
  tools: [
    { type: 'code_execution_20250825', name: 'code_execution' },
    {
      name: 'get_team_members',
      description: 'Get department team member list',
      input_schema: { type: 'object', properties: { department: { type: 'string' } }, required: ['department'] },
      allowed_callers: ['code_execution_20250825'],
    },
    // … get_expenses and get_custom_budget, defined the same way
  ],
  messages: [{ role: 'user', content: 'Which team members exceeded Q3 travel budget?' }],
});
// stop_reason "tool_use": the program waits in its container for your answers to its calls.
for (const block of response.content) {
  if (block.type === 'tool_use') console.log(block.name, block.input, block.caller); // caller.tool_id: the program
}
// Send them back as tool_result blocks with `container: response.container?.id` until stop_reason is "end_turn".
//#endregion ptc
