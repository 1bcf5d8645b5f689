/** The user guide's top_song tool, as SDK clients define it (docs/fixtures.md). */
import type { Message, Tool } from '@aws-sdk/client-bedrock-runtime';

export const TOP_SONG: Tool = {
  toolSpec: {
    name: 'top_song',
    description: 'Get the most popular song played on a radio station.',
    inputSchema: { json: { type: 'object', properties: { sign: { type: 'string' } }, required: ['sign'] } },
  },
};

/** The user turn that answers a top_song call for WZPZ, as the guide's script sends it (no status on success). */
export function wzpzResult(toolUseId: string | undefined): Message {
  return {
    role: 'user',
    content: [{ toolResult: { toolUseId, content: [{ json: { song: 'Elemental Hotel', artist: '8 Storey Hike' } }] } }],
  };
}
