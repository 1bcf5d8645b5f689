/** The `expenses` MCP server: team members, expenses per quarter and travel budgets (the PTC expense audit). */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { errorResult } from '../shared/run-server.js';
import { budgetFor, generateExpenses, teamMembers, type Catalog } from './expense-data.js';

/** Text as the original API prints it (indent 2, bare arrays); structured content wraps arrays in an object. */
function result(text: unknown, structured: Record<string, unknown>) {
  return { content: [{ type: 'text' as const, text: JSON.stringify(text, null, 2) }], structuredContent: structured };
}

const member = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  level: z.string(),
  email: z.string(),
  department: z.string(),
});

export function buildServer(deps: { catalog: Catalog }): McpServer {
  const { catalog } = deps;
  const server = new McpServer({ name: 'expenses', version: '0.1.0' });
  const read = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

  server.registerTool(
    'get_team_members',
    {
      title: 'Team members',
      description: 'Get the members of a department (engineering, sales or marketing): id, name, role, level, email.',
      inputSchema: {
        department: z.string().min(1).describe('Department name, case-insensitive: engineering, sales or marketing.'),
      },
      outputSchema: { members: z.array(member) },
      annotations: read,
    },
    async ({ department }) => {
      const members = teamMembers(catalog, department);
      if (!members)
        return errorResult(
          `Department '${department}' not found. Available departments: ${Object.keys(catalog.team).join(', ')}`,
        );
      return result(members, { members });
    },
  );

  server.registerTool(
    'get_expenses',
    {
      title: 'Expenses',
      description:
        'Get all expense records of one employee for a 2024 quarter. Each record has ' +
        'expense_id, date, category (travel, lodging, meals, ...), description, amount ' +
        '(USD), status (approved, pending, rejected) and more.',
      inputSchema: {
        employee_id: z.string().min(1).describe('Employee id, e.g. ENG001.'),
        quarter: z.string().min(1).describe('Quarter: Q1, Q2, Q3 or Q4.'),
      },
      outputSchema: { expenses: z.array(z.record(z.string(), z.unknown())) },
      annotations: read,
    },
    async ({ employee_id, quarter }) => {
      const expenses = generateExpenses(catalog, employee_id, quarter);
      if (!expenses) return errorResult(`Invalid quarter '${quarter}'. Must be Q1, Q2, Q3, or Q4`);
      return result(expenses, { expenses });
    },
  );

  server.registerTool(
    'get_custom_budget',
    {
      title: 'Travel budget',
      description:
        "Get an employee's quarterly travel budget: a custom budget if they have one, else the standard 5000 USD.",
      inputSchema: { user_id: z.string().min(1).describe('Employee id, e.g. ENG001.') },
      outputSchema: {
        user_id: z.string(),
        has_custom_budget: z.boolean(),
        travel_budget: z.number(),
        reason: z.string(),
        currency: z.string(),
      },
      annotations: read,
    },
    async ({ user_id }) => {
      const budget = budgetFor(catalog, user_id);
      return result(budget, budget);
    },
  );
  return server;
}
