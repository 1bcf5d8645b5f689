import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateExpenses, loadCatalog } from '../../servers/expenses/expense-data.js';
import { buildServer } from '../../servers/expenses/server.js';
import { call, httpClient, inMemoryClient, stdioClient } from './mcp-client.js';
import { serveHttp } from '../../servers/shared/http-host.js';

const catalog = loadCatalog();

describe('expenses server', () => {
  it('reproduces the Python reference data set record for record', () => {
    const golden = JSON.parse(readFileSync('fixtures/expenses/q3-engineering.json', 'utf8')) as Record<
      string,
      unknown[]
    >;
    for (const [id, records] of Object.entries(golden)) expect(generateExpenses(catalog, id, 'Q3')).toEqual(records);
  });

  it('gives the published audit: 275 Q3 records; Alice, Emma and Grace over budget on approved travel', async () => {
    const client = await inMemoryClient(buildServer({ catalog }));
    const team = (await call(client, 'get_team_members', { department: 'Engineering' })).structured?.['members'] as {
      id: string;
      name: string;
    }[];
    expect(team).toHaveLength(8);
    let records = 0;
    const over: string[] = [];
    for (const person of team) {
      const expenses = (await call(client, 'get_expenses', { employee_id: person.id, quarter: 'Q3' })).structured?.[
        'expenses'
      ] as {
        category: string;
        status: string;
        amount: number;
      }[];
      records += expenses.length;
      // Money in integer cents, so sums are exact.
      const cents = expenses
        .filter((e) => e.category === 'travel' && e.status === 'approved')
        .reduce((sum, e) => sum + Math.round(e.amount * 100), 0);
      const budget = (await call(client, 'get_custom_budget', { user_id: person.id })).structured?.[
        'travel_budget'
      ] as number;
      if (cents > budget * 100) over.push(`${person.name} ${(cents / 100).toFixed(2)}`);
    }
    expect(records).toBe(275);
    expect(over).toEqual(['Alice Chen 9876.54', 'Emma Johnson 5266.02', 'Grace Taylor 6474.46']);
  });

  it('prints results like the original API and reports bad input as tool errors', async () => {
    const client = await inMemoryClient(buildServer({ catalog }));
    const budget = await call(client, 'get_custom_budget', { user_id: 'ENG004' });
    expect(budget.text).toBe(
      JSON.stringify(
        {
          user_id: 'ENG004',
          has_custom_budget: true,
          travel_budget: 12000,
          reason: 'Principal engineer leading distributed team across multiple offices',
          currency: 'USD',
        },
        null,
        2,
      ),
    );
    expect(
      (await call(client, 'get_team_members', { department: 'sales' })).text.startsWith('[\n  {\n    "id": "SAL001"'),
    ).toBe(true);
    expect(await call(client, 'get_expenses', { employee_id: 'ENG001', quarter: 'Q5' })).toMatchObject({
      isError: true,
      text: "Invalid quarter 'Q5'. Must be Q1, Q2, Q3, or Q4",
    });
    expect((await call(client, 'get_team_members', { department: 'legal' })).text).toBe(
      "Department 'legal' not found. Available departments: engineering, sales, marketing",
    );
  });

  it('runs as a stdio process and over Streamable HTTP', async () => {
    const stdio = await stdioClient('expenses');
    expect((await call(stdio, 'get_custom_budget', { user_id: 'ENG001' })).structured?.['travel_budget']).toBe(5000);
    await stdio.close();
    const host = await serveHttp(() => buildServer({ catalog }), { host: '127.0.0.1', port: 0 });
    const http = await httpClient(host.url);
    const expenses = (await call(http, 'get_expenses', { employee_id: 'ENG007', quarter: 'Q3' })).structured;
    expect(expenses?.['expenses']).toHaveLength(48);
    await http.close();
    await host.close();
  });
});
