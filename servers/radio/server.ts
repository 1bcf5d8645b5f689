/** The `radio` MCP server: `top_song`, as in the Bedrock user guide's tool-use example. */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { errorResult, jsonResult } from '../shared/run-server.js';
import { topSong, type Station } from './stations.js';

export function buildServer(deps: { stations: ReadonlyMap<string, Station> }): McpServer {
  const server = new McpServer({ name: 'radio', version: '0.1.0' });
  server.registerTool(
    'top_song',
    {
      title: 'Top song',
      description: 'Get the most popular song played on a radio station.',
      inputSchema: {
        sign: z
          .string()
          .min(1)
          .describe(
            'The call sign for the radio station for which you want the most ' +
              'popular song. Example calls signs are WZPZ and WKRP.',
          ),
      },
      outputSchema: { song: z.string(), artist: z.string() },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ sign }) => {
      const answer = topSong(deps.stations, sign);
      return 'error' in answer ? errorResult(answer.error) : jsonResult(answer);
    },
  );
  return server;
}
