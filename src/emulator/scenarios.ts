/**
 * The emulated model: scripted scenarios (fixtures/converse/*.json) that match the user's words, call tools
 * by name, and answer from what the tools returned — so a wrong tool result gives a wrong answer.
 *
 * A scenario's step k runs on the k-th model call after the matching user message. Strings are templates:
 * `{{path}}` reads captures (named regex groups), `results` (this turn's tool results) and `all` (every result
 * since the user's message); `{{num x}}`, `{{lastnum x}}`, `{{orders x}}` format values.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { recall, RecallSpec } from './recall.js';
import { tagAnswer, tagCallText, tagConvention } from './reply-tags.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const Call = z.object({ tool: z.string(), input: z.record(z.string(), z.unknown()) });
const Step = z.object({
  if: z.object({ path: z.string(), equals: z.string() }).optional(),
  text: z.string().optional(),
  /** The step's reasoning, written only when the system prompt asks for `<thinking>` tags (reply-tags.ts). */
  thinking: z.string().optional(),
  onError: z.string().optional(),
  calls: z.array(Call).optional(),
  /** Repeat `calls` for every element of this array (a path), with `item` bound to the element. */
  forEach: z.string().optional(),
});
const Scenario = z.object({
  name: z.string(),
  match: z.string(),
  /** Tools that must be offered for the scenario to apply. */
  requires: z.array(z.string()).default([]),
  /** For Mistral Large, write single calls in its positional text form instead of toolUse blocks. */
  mistralPositional: z.boolean().default(false),
  /** Values read from earlier in the conversation (recall.ts); the scenario applies only when they are found. */
  context: z.record(z.string(), RecallSpec).default({}),
  steps: z.array(z.union([Step, z.array(Step)])),
});
export type Scenario = z.infer<typeof Scenario>;
type StepT = z.infer<typeof Step>;

export function loadScenarios(dir: string): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => {
      const parsed = z.union([Scenario, z.array(Scenario)]).safeParse(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      if (!parsed.success)
        throw new Error(`${f}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return Array.isArray(parsed.data) ? parsed.data : [parsed.data];
    });
}

export interface ModelTurn {
  content: Obj[];
  stopReason: 'end_turn' | 'tool_use';
}

export interface TurnInput {
  modelId: string;
  messages: Obj[];
  system: string;
  /** Tool names offered natively (toolConfig). */
  nativeTools: string[];
  /** The model cannot call tools natively: calls are written as `Tool Call:` text. */
  textToolCalls: boolean;
  mistralLarge: boolean;
}

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const TOOL_RESULT_TEXT = /<tool_result name="([^"]*)" status="([^"]*)">\n([\s\S]*?)\n<\/tool_result>/g;

function textOf(message: Obj | undefined): string {
  const content = Array.isArray(message?.['content']) ? (message['content'] as Json[]) : [];
  return content.flatMap((b) => (isObj(b) && typeof b['text'] === 'string' ? [b['text']] : [])).join('\n');
}

function parseValue(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return { text };
  }
}

interface Result {
  value: Json;
  error: boolean;
}

/** Tool results of one user message, native blocks or prompt-based text. */
function resultsOf(message: Obj): Result[] {
  const out: Result[] = [];
  for (const block of (message['content'] as Json[]) ?? []) {
    if (!isObj(block)) continue;
    const result = block['toolResult'];
    if (isObj(result)) {
      const parts = (result['content'] as Json[]) ?? [];
      const json = parts.find((p) => isObj(p) && 'json' in p) as Obj | undefined;
      const text = parts.flatMap((p) => (isObj(p) && typeof p['text'] === 'string' ? [p['text']] : [])).join('\n');
      // Models without `status` read failures from the text, as a real model would.
      const error = result['status'] === 'error' || (result['status'] === undefined && /^Error\b/.test(text));
      out.push({
        value: json ? (json['json'] as Json) : parseValue(text.replace(/^Error: the tool call failed\.\n?/, '')),
        error,
      });
    } else if (typeof block['text'] === 'string') {
      for (const m of block['text'].matchAll(TOOL_RESULT_TEXT))
        out.push({ value: parseValue(m[3] ?? ''), error: m[2] === 'error' });
    }
  }
  return out;
}

/**
 * Strips prompt-based framing and tool results written as text, so scenarios match the user's own words. A user
 * message may hold both tool results and new words (a message sent after a turn that ended on tool results, e.g.
 * a stopped one, joins that turn's results): the words make it the user's latest message.
 */
function userWords(message: Obj): string {
  return textOf(message)
    .replace(/<system>[\s\S]*?<\/system>/g, '')
    .replace(TOOL_RESULT_TEXT, '')
    .trim();
}

function lookup(context: Obj, path: string): Json | undefined {
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

function asArray(value: Json | undefined): Json[] {
  if (Array.isArray(value)) return value;
  // Tool results arrive as `{members: [...]}` (structured) or as a bare JSON array (text).
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
          `${String(member['name'])}: ${(cents / 100).toFixed(2)} spent, budget ${(limit / 100).toFixed(2)}, over by ${((cents - limit) / 100).toFixed(2)}`,
        ]
      : [];
  });
  return lines.join('\n');
}

function render(template: string, context: Obj): string {
  return template.replace(
    /\{\{\s*(?:(num|lastnum|orders|travelaudit)\s+)?([\w.]+)\s*\}\}/g,
    (_, fn: string | undefined, path: string) => {
      const value = lookup(context, path);
      if (fn === 'num') return numbers(value)[0] ?? '?';
      if (fn === 'lastnum') return numbers(value).at(-1) ?? '?';
      if (fn === 'orders') return formatOrders(value);
      if (fn === 'travelaudit') return travelAudit(value);
      return typeof value === 'string' ? value : value === undefined ? '?' : JSON.stringify(value);
    },
  );
}

function renderJson(value: unknown, context: Obj): Json {
  if (typeof value === 'string') return render(value, context);
  if (Array.isArray(value)) return value.map((v) => renderJson(v, context));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, context)]));
  }
  return value as Json;
}

function offeredNames(input: TurnInput): string[] {
  if (input.nativeTools.length > 0) return input.nativeTools;
  const described = `${input.system}\n${textOf(input.messages[0])}`;
  return [...described.matchAll(/"name":\s*"([a-zA-Z0-9_-]+)"/g)]
    .map((m) => m[1] as string)
    .filter((n) => n !== 'SampleTool');
}

/** Scenario tool names match offered names exactly or as the suffix of a prefixed name (`server__tool`). */
function resolveTool(tool: string, offered: readonly string[]): string | undefined {
  return (
    offered.find((n) => n === tool) ??
    offered.find((n) => n.endsWith(`__${tool}`) || n.endsWith(`_${tool}`) || n.endsWith(`-${tool}`))
  );
}

export const newToolUseId = (nineChars: boolean): string =>
  nineChars
    ? randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 9)
    : `tooluse_${randomBytes(16).toString('base64url').replace(/-/g, '_')}`;

function turnFor(
  step: StepT,
  context: Obj,
  input: TurnInput,
  offered: string[],
  scenario: Scenario,
  anyError: boolean,
): ModelTurn {
  const tags = tagConvention(input.system);
  const thinking = step.thinking === undefined ? undefined : render(step.thinking, context);
  // A failed tool makes the step answer with its error text instead of going on.
  if (anyError && step.onError) {
    return { content: [{ text: tagAnswer(render(step.onError, context), thinking, tags) }], stopReason: 'end_turn' };
  }
  const text = step.text ? render(step.text, context) : '';
  const items = step.forEach === undefined ? [undefined] : asArray(lookup(context, step.forEach));
  const calls = items.flatMap((item) =>
    (step.calls ?? []).map((c) => ({
      name: resolveTool(c.tool, offered) as string,
      input: renderJson(c.input, item === undefined ? context : { ...context, item }) as Obj,
    })),
  );
  if (calls.length === 0)
    return { content: [{ text: tagAnswer(text || '(no answer)', thinking, tags) }], stopReason: 'end_turn' };
  const callText = tagCallText(text, thinking, tags);
  if (input.textToolCalls) {
    const array = JSON.stringify(calls.map((c) => ({ name: c.name, arguments: c.input })));
    return { content: [{ text: `${callText ? `${callText}\n` : ''}Tool Call:\n${array}` }], stopReason: 'end_turn' };
  }
  if (scenario.mistralPositional && input.mistralLarge && calls.length === 1) {
    const call = calls[0] as { name: string; input: Obj };
    return { content: [{ text: `__${JSON.stringify([call.name, call.input])}` }], stopReason: 'end_turn' };
  }
  const uses = calls.map((c) => ({
    toolUse: { toolUseId: newToolUseId(input.mistralLarge), name: c.name, input: c.input },
  }));
  return { content: callText ? [{ text: callText }, ...uses] : uses, stopReason: 'tool_use' };
}

export function playScenario(scenarios: readonly Scenario[], input: TurnInput): ModelTurn {
  const start = input.messages.findLastIndex((m) => m['role'] === 'user' && userWords(m) !== '');
  const words = start >= 0 ? userWords(input.messages[start] as Obj) : '';
  const step = input.messages.slice(start + 1).filter((m) => m['role'] === 'assistant').length;
  const offered = offeredNames(input);
  const all = input.messages
    .slice(start + 1)
    .filter((m) => m['role'] === 'user')
    .flatMap(resultsOf);
  const latest = input.messages.length > start + 1 ? resultsOf(input.messages[input.messages.length - 1] as Obj) : [];
  for (const scenario of scenarios) {
    // The tools first: a scenario whose tools are not offered need not read the prompt at all.
    if (!scenario.requires.every((t) => resolveTool(t, offered))) continue;
    const match = new RegExp(scenario.match, 'i').exec(words);
    if (!match) continue;
    const remembered = recall(scenario.context, input.messages.slice(0, Math.max(start, 0)), match.groups ?? {});
    if (!remembered) continue;
    const groups = Object.fromEntries(Object.entries(match.groups ?? {}).filter(([, v]) => v !== undefined));
    const context: Obj = {
      ...remembered,
      ...groups,
      results: latest.map((r) => r.value),
      all: all.map((r) => r.value),
    };
    const entry = scenario.steps[step];
    if (entry === undefined)
      return { content: [{ text: 'Is there anything else I can help with?' }], stopReason: 'end_turn' };
    const alternatives = Array.isArray(entry) ? entry : [entry];
    const chosen = alternatives.find((s) => !s.if || String(lookup(context, s.if.path)) === s.if.equals);
    if (!chosen) continue;
    return turnFor(
      chosen,
      context,
      input,
      offered,
      scenario,
      latest.some((r) => r.error),
    );
  }
  // Deterministic and explicit, so a test that expected a scenario fails with a readable answer.
  const excerpt = words.length > 80 ? `${words.slice(0, 77)}...` : words;
  return {
    content: [
      { text: `No scenario in fixtures/converse matches this conversation (last user message: "${excerpt}").` },
    ],
    stopReason: 'end_turn',
  };
}
