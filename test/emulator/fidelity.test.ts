/**
 * The emulator as an independent Bedrock: each infidelity found by driving it with programs we did not write,
 * asserted with the request that showed it. The evidence for every expectation is in docs/bedrock-evidence.md.
 */
import {
  ConverseCommand,
  ConverseStreamCommand,
  type ContentBlock,
  type ConverseCommandInput,
  type Message,
  type Tool,
} from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { emulatorWithSdk } from '../support/emulator-sdk.js';
import { wzpzResult } from '../support/top-song.js';

const COHERE = 'cohere.command-r-v1:0';
const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
const LLAMA = 'us.meta.llama3-3-70b-instruct-v1:0';
const MISTRAL_LARGE = 'mistral.mistral-large-2407-v1:0';
const MINISTRAL = 'mistral.ministral-3-14b-instruct';
const NOVA = 'us.amazon.nova-pro-v1:0';

/** AWS's Command R example, exactly as the user guide writes it ("Converse API tool use examples"). */
const SEED_TOOL_CONFIG = {
  tools: [
    {
      toolSpec: {
        name: 'top_song',
        description: 'Get the most popular song played on a radio station.',
        inputSchema: {
          json: {
            type: 'object',
            properties: {
              sign: {
                type: 'string',
                description:
                  'The call sign for the radio station for which you want the most ' +
                  'popular song. Example calls signs are WZPZ, and WKRP.',
              },
            },
            required: ['sign'],
          },
        },
      },
    },
  ],
};

const rig = emulatorWithSdk();

const user = (text: string): Message => ({ role: 'user', content: [{ text }] });
const tool = (name: string, json: object = { type: 'object', properties: {} }): Tool => ({
  toolSpec: { name, description: name, inputSchema: { json: json as never } },
});
const send = (input: ConverseCommandInput) => rig.sdk.send(new ConverseCommand(input));
const rejection = (input: ConverseCommandInput) =>
  send(input).then(
    () => 'accepted',
    (e: Error) => `${e.name}: ${e.message}`,
  );
const toolUseOf = (content: ContentBlock[] | undefined) => content?.find((b) => b.toolUse)?.toolUse;

/** The streaming example's own assembly of one message from the event stream (docs/fixtures.md). */
async function streamMessages(modelId: string, messages: Message[]) {
  const response = await rig.sdk.send(new ConverseStreamCommand({ modelId, messages, toolConfig: SEED_TOOL_CONFIG }));
  const content: ContentBlock[] = [];
  let text = '';
  let toolUse: { toolUseId?: string; name?: string; input?: string } = {};
  let stopReason = '';
  for await (const chunk of response.stream ?? []) {
    if (chunk.contentBlockStart) {
      const start = chunk.contentBlockStart.start?.toolUse;
      toolUse = { toolUseId: start?.toolUseId, name: start?.name };
    } else if (chunk.contentBlockDelta?.delta?.toolUse) {
      toolUse.input = (toolUse.input ?? '') + chunk.contentBlockDelta.delta.toolUse.input;
    } else if (chunk.contentBlockDelta?.delta?.text !== undefined) {
      text += chunk.contentBlockDelta.delta.text;
    } else if (chunk.contentBlockStop) {
      if (toolUse.input !== undefined) {
        content.push({ toolUse: { ...toolUse, input: JSON.parse(toolUse.input) } } as ContentBlock);
        toolUse = {};
      } else {
        content.push({ text });
        text = '';
      }
    } else if (chunk.messageStop) stopReason = chunk.messageStop.stopReason ?? '';
  }
  return { stopReason, message: { role: 'assistant', content } as Message };
}

describe("1. AWS's top_song example on Cohere Command R (status on Cohere, Meta, Mistral)", () => {
  const ask = user('What is the most popular song on WZPZ?');

  it.each([
    ['WZPZ', { content: [{ json: { song: 'Elemental Hotel', artist: '8 Storey Hike' } }] }, 'Elemental Hotel'],
    ['WZPA', { content: [{ text: 'Station WZPA not found.' }], status: 'error' as const }, 'Station WZPA not found.'],
  ])('Converse, station %s, with the seed request shapes', async (sign, result, expected) => {
    const first = user(`What is the most popular song on ${sign}?`);
    const response = await send({ modelId: COHERE, messages: [first], toolConfig: SEED_TOOL_CONFIG });
    expect(response.stopReason).toBe('tool_use');
    const use = toolUseOf(response.output?.message?.content);
    expect(use).toMatchObject({ name: 'top_song', input: { sign } });
    const messages: Message[] = [
      first,
      response.output?.message as Message,
      { role: 'user', content: [{ toolResult: { toolUseId: use?.toolUseId, ...result } }] },
    ];
    const final = await send({ modelId: COHERE, messages, toolConfig: SEED_TOOL_CONFIG });
    expect(final.stopReason).toBe('end_turn');
    expect(final.output?.message?.content?.[0]?.text).toContain(expected);
  });

  it('ConverseStream, both rounds, assembled the way the example assembles them', async () => {
    const round1 = await streamMessages(COHERE, [ask]);
    expect(round1.stopReason).toBe('tool_use');
    const use = toolUseOf(round1.message.content);
    const result = wzpzResult(use?.toolUseId);
    const round2 = await streamMessages(COHERE, [ask, round1.message, result]);
    expect(round2.stopReason).toBe('end_turn');
    expect(round2.message.content).toEqual([
      { text: 'The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.' },
    ]);
  });

  it.each([COHERE, 'us.meta.llama3-1-70b-instruct-v1:0', MISTRAL_LARGE, CLAUDE, NOVA])(
    'accepts toolResult.status success and error for %s',
    async (modelId) => {
      for (const status of ['success', 'error'] as const) {
        const messages: Message[] = [
          ask,
          { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_a', name: 'top_song', input: {} } }] },
          { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_a', status, content: [{ text: 'x' }] } }] },
        ];
        expect(await rejection({ modelId, messages, toolConfig: SEED_TOOL_CONFIG })).toBe('accepted');
      }
    },
  );

  it('rejects toolResult.status only for Writer Palmyra, the one reported rejection', async () => {
    const messages: Message[] = [
      ask,
      { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_a', name: 'top_song', input: {} } }] },
      {
        role: 'user',
        content: [{ toolResult: { toolUseId: 'tooluse_a', status: 'error', content: [{ text: 'x' }] } }],
      },
    ];
    expect(await rejection({ modelId: 'us.writer.palmyra-x5-v1:0', messages, toolConfig: SEED_TOOL_CONFIG })).toBe(
      "ValidationException: This model doesn't support the toolResult.status " +
        'field. Remove toolResult.status and try again.',
    );
  });
});

const LETTERS = "How many P's and E's are in 'Peter piper picked a peck of pickled peppers', multiplied?";
const PHRASE = 'Peter piper picked a peck of pickled peppers';
const LETTER_TOOLS = { tools: [tool('count_letters'), tool('calculator')] };
const TOOLUSE_ID = /^tooluse_[A-Za-z0-9_-]{22}$/;
const answered = (id: string | undefined, text: string): Message => ({
  role: 'user',
  content: [{ toolResult: { toolUseId: id, content: [{ text }] } }],
});

describe('2. Mistral Large calls tools natively; the text form only where recorded, or as a fault', () => {
  it('answers top_song with a toolUse block on every request', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await send({
        modelId: MISTRAL_LARGE,
        messages: [user('What is the most popular song on WZPZ?')],
        toolConfig: SEED_TOOL_CONFIG,
      });
      expect(response.stopReason).toBe('tool_use');
      expect(toolUseOf(response.output?.message?.content)).toMatchObject({ name: 'top_song', input: { sign: 'WZPZ' } });
    }
  });

  it('plays the recorded letters conversation: native first call, the second as __[...] text', async () => {
    const messages: Message[] = [user(LETTERS)];
    const first = await send({ modelId: MISTRAL_LARGE, messages, toolConfig: LETTER_TOOLS });
    const use = toolUseOf(first.output?.message?.content);
    expect(first.stopReason).toBe('tool_use');
    expect(use).toMatchObject({ name: 'count_letters', input: { word: PHRASE, letter: 'P' } });
    expect(use?.toolUseId).toMatch(TOOLUSE_ID);
    messages.push(first.output?.message as Message, answered(use?.toolUseId, 'There are 9 "P"s in the phrase.'));
    const second = await send({ modelId: MISTRAL_LARGE, messages, toolConfig: LETTER_TOOLS });
    expect(second.stopReason).toBe('end_turn');
    expect(second.output?.message?.content).toEqual([
      {
        text:
          `Now let's count the number of "E"s in the same ` +
          `phrase.\n\n__["count_letters", {"word": "${PHRASE}", "letter": "E"}]`,
      },
    ]);
  });

  it('writes a call as text only when the text-tool-call fault asks for it', async () => {
    rig.emulator.faults.push({ kind: 'text-tool-call' });
    const faulted = await send({
      modelId: MISTRAL_LARGE,
      messages: [user('What is the most popular song on WZPZ?')],
      toolConfig: SEED_TOOL_CONFIG,
    });
    expect(faulted.stopReason).toBe('end_turn');
    expect(faulted.output?.message?.content).toEqual([{ text: '__["top_song", {"sign": "WZPZ"}]' }]);
  });
});

describe("3. Bedrock's tooluse_ ids for every model; rejected in history only by Ministral 3", () => {
  it.each([
    CLAUDE,
    NOVA,
    'us.meta.llama3-1-70b-instruct-v1:0',
    MISTRAL_LARGE,
    MINISTRAL,
    COHERE,
    'qwen.qwen3-32b-v1:0',
  ])('%s calls with a tooluse_ id', async (modelId) => {
    const response = await send({
      modelId,
      messages: [user('What is the most popular song on WZPZ?')],
      toolConfig: SEED_TOOL_CONFIG,
    });
    expect(toolUseOf(response.output?.message?.content)?.toolUseId).toMatch(TOOLUSE_ID);
  });

  const history = (id: string): Message[] => [
    user('What is the most popular song on WZPZ?'),
    { role: 'assistant', content: [{ toolUse: { toolUseId: id, name: 'top_song', input: { sign: 'WZPZ' } } }] },
    answered(id, '{"song": "Elemental Hotel", "artist": "8 Storey Hike"}'),
  ];

  it('Mistral Large goes on after its own tooluse_ id, as the recorded conversation did', async () => {
    const response = await send({
      modelId: MISTRAL_LARGE,
      messages: history('tooluse_w9JlqnB0QVy8C6aPtu-6fQ'),
      toolConfig: SEED_TOOL_CONFIG,
    });
    expect(response.output?.message?.content?.[0]?.text).toBe(
      'The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.',
    );
  });

  it('Ministral 3 rejects a tooluse_ id on the second turn and accepts 9 alphanumerics', async () => {
    expect(
      await rejection({
        modelId: MINISTRAL,
        messages: history('tooluse_bpe71yCfRu2b5i-nKGDr5g'),
        toolConfig: SEED_TOOL_CONFIG,
      }),
    ).toBe(
      'ValidationException: The model returned the following errors: Tool call id was ' +
        'tooluse_bpe71yCfRu2b5i-nKGDr5g but must be a-z, A-Z, 0-9, with a length of 9.',
    );
    expect(await rejection({ modelId: MINISTRAL, messages: history('bpe71yCfR'), toolConfig: SEED_TOOL_CONFIG })).toBe(
      'accepted',
    );
  });
});

describe('4. Families that reject text beside toolUse never write it', () => {
  it.each([LLAMA, MISTRAL_LARGE])(
    '%s answers the letters prompt with tool calls only, and accepts that turn back',
    async (modelId) => {
      const first = await send({ modelId, messages: [user(LETTERS)], toolConfig: LETTER_TOOLS });
      const content = first.output?.message?.content ?? [];
      expect(content.length).toBeGreaterThan(0);
      expect(content.every((b) => b.toolUse)).toBe(true);
      const results: Message = {
        role: 'user',
        content: content.map((b) => ({ toolResult: { toolUseId: b.toolUse?.toolUseId, content: [{ text: '9' }] } })),
      };
      expect(
        await rejection({
          modelId,
          messages: [user(LETTERS), first.output?.message as Message, results],
          toolConfig: LETTER_TOOLS,
        }),
      ).toBe('accepted');
    },
  );

  it('Cohere Command R+ still writes its words beside the calls, as recorded', async () => {
    const first = await send({
      modelId: 'cohere.command-r-plus-v1:0',
      messages: [user(LETTERS)],
      toolConfig: LETTER_TOOLS,
    });
    expect(first.output?.message?.content?.[0]).toEqual({ text: "I'll count both letters." });
  });
});

describe('5. Tool results read as a model reads them', () => {
  const ask = user('What is the most popular song on WZPA?');
  const call: Message = {
    role: 'assistant',
    content: [{ toolUse: { toolUseId: 'tooluse_r', name: 'top_song', input: { sign: 'WZPA' } } }],
  };
  const reply = (modelId: string, result: NonNullable<ContentBlock['toolResult']>) =>
    send({
      modelId,
      messages: [ask, call, { role: 'user', content: [{ toolResult: result }] }],
      toolConfig: SEED_TOOL_CONFIG,
    }).then((r) => r.output?.message?.content?.[0]?.text);
  const SONG = 'The most popular song on WZPA is Elemental Hotel by 8 Storey Hike.';
  const song = { song: 'Elemental Hotel', artist: '8 Storey Hike' };

  it('a plain error text without status (Vercel, Strands on non-Claude) is a failure', async () => {
    expect(await reply(LLAMA, { toolUseId: 'tooluse_r', content: [{ text: 'Station WZPA not found.' }] })).toBe(
      "I couldn't find that station: Station WZPA not found.",
    );
  });

  it('status: "error" is a failure, whatever the content', async () => {
    expect(
      await reply(CLAUDE, {
        toolUseId: 'tooluse_r',
        status: 'error',
        content: [{ json: { error: 'Station WZPA not found.' } }],
      }),
    ).toMatch(/^I couldn't find that station/);
  });

  it.each([
    ['JSON in a text block (LangChain)', JSON.stringify(song)],
    ['MCP content items stringified into the text', JSON.stringify([{ type: 'text', text: JSON.stringify(song) }])],
    ['JSON inside prose', `Result: ${JSON.stringify(song)}`],
  ])('%s', async (_label, text) => {
    expect(await reply(LLAMA, { toolUseId: 'tooluse_r', content: [{ text }] })).toBe(SONG);
  });
});
