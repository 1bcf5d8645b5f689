/** The user guide's top_song tool, as SDK clients define it (fixtures.md §2.1). */
import type { Tool } from '@aws-sdk/client-bedrock-runtime';

export const TOP_SONG: Tool = {
  toolSpec: {
    name: 'top_song',
    description: 'Get the most popular song played on a radio station.',
    inputSchema: { json: { type: 'object', properties: { sign: { type: 'string' } }, required: ['sign'] } },
  },
};
