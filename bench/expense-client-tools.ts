/**
 * The write-up's three expense tools as an Anthropic client defines them (client tools the program may call),
 * and the client's own implementation of them, over the same data as the bundled expenses server.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { budgetFor, generateExpenses, loadCatalog, teamMembers } from '../servers/expenses/expense-data.js';

const catalog = loadCatalog();
const fromCode = ['code_execution_20250825'] as const;

/** The write-up's PTC question. */
export const EXPENSE_QUESTION = 'Which team members exceeded Q3 travel budget?';

/** The answer's lines: approved travel only, custom budgets applied (the write-up's amounts). */
export const OVER_BUDGET = [
  'Alice Chen: 9876.54 spent, budget 5000.00, over by 4876.54',
  'Emma Johnson: 5266.02 spent, budget 5000.00, over by 266.02',
  'Grace Taylor: 6474.46 spent, budget 5000.00, over by 1474.46',
];

/** The tools of the write-up's request, for `tools` (the code-execution tool first). */
export function expenseTools(callers: readonly ('direct' | 'code_execution_20250825')[] = fromCode) {
  const allowed_callers = [...callers];
  return [
    {
      name: 'get_team_members',
      description:
        'Get department team member list. Returns a JSON string: an array of {id, name, ' +
        'role, level, email, department}; parse it with json.loads().',
      input_schema: {
        type: 'object' as const,
        properties: { department: { type: 'string' } },
        required: ['department'],
      },
      allowed_callers,
    },
    {
      name: 'get_expenses',
      description:
        "Get an employee's expense records for a 2024 quarter. Returns a JSON string: an array of records " +
        "with category (travel, lodging, ...), amount and status; only status 'approved' counts.",
      input_schema: {
        type: 'object' as const,
        properties: { employee_id: { type: 'string' }, quarter: { type: 'string' } },
        required: ['employee_id', 'quarter'],
      },
      allowed_callers,
    },
    {
      name: 'get_custom_budget',
      description:
        "Get an employee's quarterly travel budget. Returns a JSON string {user_id, " +
        'has_custom_budget, travel_budget, reason, currency}.',
      input_schema: { type: 'object' as const, properties: { user_id: { type: 'string' } }, required: ['user_id'] },
      allowed_callers,
    },
  ] satisfies Anthropic.Beta.BetaToolUnion[];
}

/** The client runs a tool call: the JSON text the write-up's API returns. */
export function runExpenseTool(name: string, input: Record<string, unknown>): string {
  const s = (key: string): string => String(input[key] ?? '');
  if (name === 'get_team_members')
    return JSON.stringify(teamMembers(catalog, s('department')) ?? { error: 'no such department' }, null, 2);
  if (name === 'get_expenses')
    return JSON.stringify(
      generateExpenses(catalog, s('employee_id'), s('quarter')) ?? { error: 'bad quarter' },
      null,
      2,
    );
  if (name === 'get_custom_budget') return JSON.stringify(budgetFor(catalog, s('user_id')), null, 2);
  throw new Error(`no client tool ${name}`);
}

/**
 * The turns that answer a response's tool calls: its content as the assistant turn, then a user turn with the
 * client's result of every `tool_use` in it (`runExpenseTool`).
 */
export function answerToolCalls(content: Anthropic.Beta.BetaContentBlock[]): Anthropic.Beta.BetaMessageParam[] {
  const uses = content.filter((b): b is Anthropic.Beta.BetaToolUseBlock => b.type === 'tool_use');
  return [
    { role: 'assistant', content },
    {
      role: 'user',
      content: uses.map((use) => ({
        type: 'tool_result' as const,
        tool_use_id: use.id,
        content: runExpenseTool(use.name, use.input as Record<string, unknown>),
      })),
    },
  ];
}
