/**
 * The emulated model: scripted scenarios that match the user's words, call tools by name, and answer from what
 * the tools returned — so a wrong tool result gives a wrong answer (docs/emulator.md). Step k of a scenario runs on
 * the k-th model call after the matching user message. How a call is written depends on the model, from what is
 * recorded of real Bedrock (docs/bedrock-evidence.md): toolUse blocks with `tooluse_…` ids, no text beside them for
 * families that reject mixed turns, `Tool Call:` text for prompt-based models.
 */
import { isObj, type Json, type Obj } from './wire-request.js';
import { baseId } from './model-traits.js';
import { OFF_SCRIPT_STOP_REASON, offScriptText } from './off-script.js';
import { recall } from './recall.js';
import { tagAnswer, tagCallText, tagConvention } from './reply-tags.js';
import type { Scenario, ScenarioStep } from './scenario-format.js';
import { asArray, lookup, render, renderJson } from './templates.js';
import { newToolUseId, offeredTool, positionalCallText, promptCallText, type ScriptedCall } from './tool-call-forms.js';
import { resultsOf, withoutResultText, type ReadResult } from './tool-results.js';

/** One model turn: the assistant's content blocks and the stop reason. */
export interface ModelTurn {
  content: Obj[];
  stopReason: 'end_turn' | 'tool_use' | typeof OFF_SCRIPT_STOP_REASON;
  /** The scenario that played the turn (undefined off script). */
  scenario?: string;
}

/** What the model sees of a request, and how this model writes its answer. */
export interface TurnInput {
  modelId: string;
  messages: Obj[];
  system: string;
  /** Tool names offered natively (toolConfig). */
  nativeTools: string[];
  /** The model cannot call tools natively: calls are written as `Tool Call:` text. */
  textToolCalls: boolean;
  /** The model's family rejects text beside toolUse in one turn: it answers calls without text. */
  separateToolTurns: boolean;
  /** The `text-tool-call` fault: this turn's first call is written as Mistral's positional text. */
  textCallFault?: boolean;
}

function textOf(message: Obj | undefined): string {
  const content = Array.isArray(message?.['content']) ? (message['content'] as Json[]) : [];
  return content.flatMap((b) => (isObj(b) && typeof b['text'] === 'string' ? [b['text']] : [])).join('\n');
}

/**
 * The user's own words: prompt-based framing (`<system>…</system>`) and tool results written as text removed,
 * typographic quotes made plain. A user message may hold both tool results and new words (a message sent after a
 * turn that ended on tool results, e.g. a stopped one, joins that turn's results): the words make it the user's
 * latest message.
 */
function userWords(message: Obj): string {
  let text = textOf(message);
  // Most messages hold neither tags nor typographic quotes: they skip the replacements.
  if (text.includes('<')) text = withoutResultText(text).replace(/<system>[\s\S]*?<\/system>/g, '');
  if (/[‘’“”]/.test(text)) text = text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
  return text.trim();
}

/** The words with punctuation read as spaces and runs of whitespace as one ("top-song on: WZPZ?!"). */
const loosened = (words: string): string =>
  words
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** A scenario's `match` (case-insensitive) against the user's words as written, then against them loosened. */
function matchWords(scenario: Scenario, words: string, loose: string): RegExpExecArray | null {
  return scenario.matchPattern.exec(words) ?? (loose === words ? null : scenario.matchPattern.exec(loose));
}

function offeredNames(input: TurnInput): string[] {
  if (input.nativeTools.length > 0) return input.nativeTools;
  const described = `${input.system}\n${textOf(input.messages[0])}`;
  return [...described.matchAll(/"name":\s*"([a-zA-Z0-9_-]+)"/g)]
    .map((m) => m[1] as string)
    .filter((n) => n !== 'SampleTool');
}

const forModel = (scenario: Scenario, base: string): boolean => scenario.modelsPattern?.test(base) ?? true;

function answer(text: string): ModelTurn {
  return { content: [{ text }], stopReason: 'end_turn' };
}

function turnFor(step: ScenarioStep, context: Obj, input: TurnInput, offered: string[], anyError: boolean): ModelTurn {
  const tags = tagConvention(input.system);
  const thinking = step.thinking === undefined ? undefined : render(step.thinking, context);
  // A failed tool makes the step answer with its error text instead of going on.
  if (anyError && step.onError) return answer(tagAnswer(render(step.onError, context), thinking, tags));
  const text = step.text ? render(step.text, context) : '';
  const items = step.forEach === undefined ? [undefined] : asArray(lookup(context, step.forEach));
  const calls: ScriptedCall[] = items.flatMap((item) =>
    (step.calls ?? []).map((c) => ({
      // A tool the scenario `finds` is called by its own name once a search has made it offered.
      name: offeredTool(c.tool, offered) ?? c.tool,
      input: renderJson(c.input, item === undefined ? context : { ...context, item }) as Obj,
    })),
  );
  if (calls.length === 0) return answer(tagAnswer(text || '(no answer)', thinking, tags));
  const callText = tagCallText(text, thinking, tags);
  if (input.textToolCalls) return answer(`${callText ? `${callText}\n` : ''}${promptCallText(calls)}`);
  if (step.callAsText || input.textCallFault) {
    const written = positionalCallText(calls[0] as ScriptedCall);
    return answer(step.callAsText && callText ? `${callText}\n\n${written}` : written);
  }
  const uses = calls.map((c) => ({ toolUse: { toolUseId: newToolUseId(), name: c.name, input: c.input } }));
  // Llama and Mistral reject text beside toolUse when it is sent back: they do not write it either.
  const content = callText && !input.separateToolTurns ? [{ text: callText }, ...uses] : uses;
  return { content, stopReason: 'tool_use' };
}

/** Plays the model's next turn from the first scenario that fits, or the emulator's off-script answer. */
export function playScenario(scenarios: readonly Scenario[], input: TurnInput): ModelTurn {
  const start = input.messages.findLastIndex((m) => m['role'] === 'user' && userWords(m) !== '');
  const words = start >= 0 ? userWords(input.messages[start] as Obj) : '';
  const step = input.messages.slice(start + 1).filter((m) => m['role'] === 'assistant').length;
  const offered = offeredNames(input);
  const all: ReadResult[] = input.messages
    .slice(start + 1)
    .filter((m) => m['role'] === 'user')
    .flatMap(resultsOf);
  const latest = input.messages.length > start + 1 ? resultsOf(input.messages[input.messages.length - 1] as Obj) : [];
  const loose = loosened(words);
  const base = baseId(input.modelId);
  const playable: Scenario[] = [];
  const needingTools: Scenario[] = [];
  for (const scenario of scenarios) {
    if (!forModel(scenario, base)) continue;
    // The tools first: a scenario whose tools are not offered need not read the prompt at all.
    if (!scenario.requires.every((t) => offeredTool(t, offered))) {
      needingTools.push(scenario);
      continue;
    }
    playable.push(scenario);
    const match = matchWords(scenario, words, loose);
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
    if (entry === undefined) return { ...answer('Is there anything else I can help with?'), scenario: scenario.name };
    const alternatives = Array.isArray(entry) ? entry : [entry];
    const chosen = alternatives.find((s) => !s.if || String(lookup(context, s.if.path)) === s.if.equals);
    if (!chosen) continue;
    const turn = turnFor(
      chosen,
      context,
      input,
      offered,
      latest.some((r) => r.error),
    );
    return { ...turn, scenario: scenario.name };
  }
  return {
    content: [{ text: offScriptText(words, playable, needingTools, offered) }],
    stopReason: OFF_SCRIPT_STOP_REASON,
  };
}
