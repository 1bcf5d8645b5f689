/** The `utilities` MCP server: count_letters, current_time and calculator. */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { errorResult } from '../shared/run-server.js';
import { CalculatorError, evaluate, formatNumber } from './calculator.js';
import { countLetters, currentTime, isTimeZone } from './text-tools.js';

export function buildServer(deps: { now?: () => Date } = {}): McpServer {
  const server = new McpServer({ name: 'utilities', version: '0.1.0' });
  const readOnly = { readOnlyHint: true, destructiveHint: false, openWorldHint: false };

  server.registerTool(
    'count_letters',
    {
      title: 'Count letters',
      description: 'Count the number of times a letter appears in a word or phrase (case-insensitive).',
      inputSchema: {
        word: z.string().describe('The word or phrase whose letters you want to count.'),
        letter: z.string().min(1).describe('The letter you want to count in the word or phrase.'),
      },
      outputSchema: { count: z.number().int(), text: z.string() },
      annotations: { ...readOnly, idempotentHint: true },
    },
    async ({ word, letter }) => {
      const result = countLetters(word, letter);
      return { content: [{ type: 'text', text: result.text }], structuredContent: result };
    },
  );

  server.registerTool(
    'current_time',
    {
      title: 'Current time',
      description: 'Get the current day and time, in an IANA time zone such as America/Chicago (default UTC).',
      inputSchema: {
        timezone: z.string().min(1).optional().describe('IANA time zone, e.g. Europe/Paris. Default: UTC.'),
      },
      outputSchema: { iso: z.string(), timezone: z.string(), text: z.string() },
      annotations: readOnly,
    },
    async ({ timezone }) => {
      const zone = timezone ?? 'UTC';
      if (!isTimeZone(zone))
        return errorResult(`Unknown time zone "${zone}". Use an IANA name such as America/Chicago or Europe/Paris.`);
      const result = currentTime(zone, deps.now?.() ?? new Date());
      return { content: [{ type: 'text', text: result.text }], structuredContent: result };
    },
  );

  server.registerTool(
    'calculator',
    {
      title: 'Calculator',
      description:
        'Perform basic math. The input should be a valid mathematical expression with numbers and ' +
        'the operators + - * / % ^ and parentheses. Do not use variables.',
      inputSchema: { expr: z.string().min(1).describe('A valid mathematical expression. Do not use variables.') },
      outputSchema: { expr: z.string(), result: z.number() },
      annotations: { ...readOnly, idempotentHint: true },
    },
    async ({ expr }) => {
      try {
        const result = Number(formatNumber(evaluate(expr)));
        return {
          content: [{ type: 'text', text: `${expr} = ${formatNumber(result)}` }],
          structuredContent: { expr, result },
        };
      } catch (error) {
        if (error instanceof CalculatorError) return errorResult(error.message);
        throw error;
      }
    },
  );
  return server;
}
