/**
 * Scenario templates (docs/emulator.md, "Templates"): `{{path}}` reads a value of the turn's context (captures,
 * `results`, `all`, remembered values); `{{num x}}`, `{{lastnum x}}`, `{{orders x}}` and `{{travelaudit all}}`
 * format one.
 */
import { isObj, type Json, type Obj } from './wire-request.js';

/** The formatting functions a template may name. */
export const TEMPLATE_FUNCTIONS = ['num', 'lastnum', 'orders', 'travelaudit'] as const;

/** Every `{{…}}` in a template, with the function it names (if any). */
const PLACEHOLDER = /\{\{\s*(?:([a-z]+)\s+)?([\w.]+)\s*\}\}/g;

/** The value at a dotted path (`results.0.song`); array indexes are numbers. */
export function lookup(context: Obj, path: string): Json | undefined {
  let value: Json | undefined = context;
  for (const key of path.split('.')) {
    if (Array.isArray(value)) value = value[Number(key)];
    else if (isObj(value)) value = value[key];
    else return undefined;
  }
  return value;
}

function numbers(value: Json | undefined): string[] {
  return (typeof value === 'string' ? value : JSON.stringify(value ?? null)).match(/-?\d+(?:\.\d+)?/g) ?? [];
}

function formatOrders(value: Json | undefined): string {
  const orders = Array.isArray(value) ? value.filter(isObj) : [];
  return orders
    .map((o) => `${o['id']} ${o['product']} ×${o['quantity']} $${Number(o['price']).toFixed(2)} ${o['status']}`)
    .join('; ');
}

/** A result as a list: a bare array, or the first array inside an object (`{members: [...]}`). */
export function asArray(value: Json | undefined): Json[] {
  if (Array.isArray(value)) return value;
  const inner = isObj(value) ? Object.values(value).find(Array.isArray) : undefined;
  return Array.isArray(inner) ? inner : [];
}

/**
 * The expense audit as a model would reason over direct tool results: all[0] is the team, then one expense list
 * per member, then one budget per member; approved travel is summed in cents and compared with each budget.
 */
function travelAudit(all: Json | undefined): string {
  const results = Array.isArray(all) ? all : [];
  const team = asArray(results[0]).filter(isObj);
  const lines = team.flatMap((member, i) => {
    const expenses = asArray(results[1 + i]).filter(isObj);
    const budget = results[1 + team.length + i];
    const cents = expenses
      .filter((e) => e['category'] === 'travel' && e['status'] === 'approved')
      .reduce((sum, e) => sum + Math.round(Number(e['amount']) * 100), 0);
    const limit = Math.round(Number(isObj(budget) ? budget['travel_budget'] : NaN) * 100);
    return cents > limit
      ? [
          `${String(member['name'])}: ${(cents / 100).toFixed(2)} spent, ` +
            `budget ${(limit / 100).toFixed(2)}, over by ${((cents - limit) / 100).toFixed(2)}`,
        ]
      : [];
  });
  return lines.join('\n');
}

/** Names of functions a template uses that do not exist (checked when scenarios load). */
export function unknownFunctions(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)]
    .map((m) => m[1])
    .filter((fn): fn is string => fn !== undefined && !(TEMPLATE_FUNCTIONS as readonly string[]).includes(fn));
}

/** The template with every placeholder filled; a missing value reads `?`. */
export function render(template: string, context: Obj): string {
  return template.replace(PLACEHOLDER, (_, fn: string | undefined, path: string) => {
    const value = lookup(context, path);
    if (fn === 'num') return numbers(value)[0] ?? '?';
    if (fn === 'lastnum') return numbers(value).at(-1) ?? '?';
    if (fn === 'orders') return formatOrders(value);
    if (fn === 'travelaudit') return travelAudit(value);
    return typeof value === 'string' ? value : value === undefined ? '?' : JSON.stringify(value);
  });
}

/** A string that is one `{{num x}}` or `{{lastnum x}}` placeholder and nothing else: it renders as a number. */
const NUMBER_ONLY = /^\{\{\s*(?:num|lastnum)\s+[\w.]+\s*\}\}$/;

/**
 * A JSON value with every string in it rendered (tool-call inputs). A string that is only `{{num x}}` becomes a
 * JSON number (tools that take numbers reject "17").
 */
export function renderJson(value: unknown, context: Obj): Json {
  if (typeof value === 'string') {
    const text = render(value, context);
    return NUMBER_ONLY.test(value) && text !== '?' ? Number(text) : text;
  }
  if (Array.isArray(value)) return value.map((v) => renderJson(v, context));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, context)]));
  }
  return value as Json;
}
