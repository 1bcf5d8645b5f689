/** The expense-audit data set: team, budgets and the deterministic expense generator (docs/code-mode.md). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fixturesPath } from '../shared/fixtures.js';
import { PythonRandom } from './python-random.js';

const Catalog = z.object({
  categories: z.array(z.object({ category: z.string(), description: z.string(), min: z.number(), max: z.number() })),
  managers: z.array(z.string()),
  merchants: z.record(z.string(), z.array(z.string())),
  cities: z.array(z.string()),
  projectCodes: z.array(z.string()),
  justifications: z.record(z.string(), z.array(z.string())),
  quarters: z.record(z.string(), z.tuple([z.string(), z.string()])),
  team: z.record(
    z.string(),
    z.array(z.object({ id: z.string(), name: z.string(), role: z.string(), level: z.string() })),
  ),
  customBudgets: z.record(z.string(), z.tuple([z.number(), z.string()])),
});
export type Catalog = z.infer<typeof Catalog>;

export function loadCatalog(path = fixturesPath('expenses', 'catalog.json')): Catalog {
  return Catalog.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export interface Expense {
  expense_id: string;
  date: string;
  category: string;
  description: string;
  amount: number;
  currency: 'USD';
  status: string;
  receipt_url: string;
  approved_by: string | null;
  store_name: string;
  store_location: string;
  reimbursement_date: string | null;
  payment_method: string;
  project_code: string;
  notes: string;
}

const DAY = 86_400_000;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Undefined for a quarter other than Q1–Q4 (any case, as the original accepts). */
export function generateExpenses(catalog: Catalog, employeeId: string, quarter: string): Expense[] | undefined {
  const range = catalog.quarters[quarter.toUpperCase()];
  if (!range) return undefined;
  const seed =
    42n +
    BigInt(
      `0x${createHash('md5')
        .update(employeeId + quarter)
        .digest('hex')}`,
    );
  const rng = new PythonRandom(seed);
  const start = Date.parse(`${range[0]}T00:00:00Z`);
  const days = (Date.parse(`${range[1]}T00:00:00Z`) - start) / DAY;
  const records: Expense[] = [];
  const count = rng.randint(20, 50);
  for (let i = 0; i < count; i++) {
    // The order of draws is the generator's contract: changing it changes every record after.
    const cat = rng.choice(catalog.categories);
    const day = start + rng.randint(0, days) * DAY;
    const amount = Number(rng.uniform(cat.min, cat.max).toFixed(2));
    const status = rng.weightedChoice(['approved', 'pending', 'rejected'], [0.85, 0.1, 0.05]);
    const approvedBy = status === 'approved' ? rng.choice(catalog.managers) : null;
    const store = rng.choice(catalog.merchants[cat.category] ?? []);
    const city = rng.choice(catalog.cities);
    const method = rng.choice(['corporate_card', 'personal_reimbursement']);
    const project = rng.choice(catalog.projectCodes);
    const notes = rng.choice(catalog.justifications[cat.category] ?? []);
    const reimbursed =
      status === 'approved' && method === 'personal_reimbursement' ? isoDay(day + rng.randint(15, 30) * DAY) : null;
    const n = String(i).padStart(3, '0');
    records.push({
      expense_id: `${employeeId}_${quarter}_${n}`,
      date: isoDay(day),
      category: cat.category,
      description: cat.description,
      amount,
      currency: 'USD',
      status,
      receipt_url: `https://receipts.company.com/${employeeId}/${quarter}/${n}.pdf`,
      approved_by: approvedBy,
      store_name: store,
      store_location: city,
      reimbursement_date: reimbursed,
      payment_method: method,
      project_code: project,
      notes,
    });
  }
  return records.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

export function teamMembers(catalog: Catalog, department: string) {
  const key = department.toLowerCase();
  const members = catalog.team[key];
  return members?.map((m) => ({
    ...m,
    email: `${m.name.toLowerCase().replace(' ', '.')}@company.com`,
    department: key,
  }));
}

export function budgetFor(catalog: Catalog, userId: string) {
  const custom = catalog.customBudgets[userId];
  return custom
    ? { user_id: userId, has_custom_budget: true, travel_budget: custom[0], reason: custom[1], currency: 'USD' }
    : {
        user_id: userId,
        has_custom_budget: false,
        travel_budget: 5000,
        reason: 'Standard quarterly travel budget',
        currency: 'USD',
      };
}
