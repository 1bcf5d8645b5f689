/**
 * The scenario file format (docs/emulator.md, "Scenario files") and its loader. Scenarios come from folders of
 * `*.json` files, single files, or objects handed to `startEmulator({ scenarios })`; a bad one fails when it is
 * loaded, naming the file, the scenario and the field, and saying what was expected.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RecallSpec } from './recall.js';
import { unknownFunctions } from './templates.js';

const regex = z.string().superRefine((pattern, ctx) => {
  try {
    new RegExp(pattern, 'i');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression (${(error as Error).message})` });
  }
});

const template = z.string().superRefine((text, ctx) => {
  for (const fn of unknownFunctions(text)) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown template function "${fn}" (use num, lastnum, orders, travelaudit)`,
    });
  }
});

const Call = z.strictObject({
  tool: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});

const Step = z.strictObject({
  /** Use this alternative only when the value at `path` (as text) equals `equals`. */
  if: z.strictObject({ path: z.string().min(1), equals: z.string() }).optional(),
  text: template.optional(),
  /** The step's reasoning, written only when the system prompt asks for `<thinking>` tags (reply-tags.ts). */
  thinking: template.optional(),
  /** Said instead of the step when a result of the latest turn failed. */
  onError: template.optional(),
  calls: z.array(Call).optional(),
  /** Repeat `calls` for every element of this array (a path), with `item` bound to the element. */
  forEach: z.string().min(1).optional(),
  /**
   * Write the step's one call as text in Mistral Large's positional form (`__["tool", {…}]`, stopReason end_turn)
   * instead of a toolUse block, as a recorded transcript shows it (docs/bedrock-evidence.md).
   */
  callAsText: z.literal(true).optional(),
});

const ScenarioSchema = z
  .strictObject({
    name: z.string().min(1),
    /** Case-insensitive regex over the user's latest own message; named groups become variables. */
    match: regex,
    /** A prompt the scenario answers, shown by `emulator --list` and when nothing matches. */
    example: z.string().min(1).optional(),
    /** Only for these models: a regex over the model id without region prefix or ARN. */
    models: regex.optional(),
    /** Tools that must be offered for the scenario to apply (exact name, or the suffix of `server__tool`). */
    requires: z.array(z.string().min(1)).default([]),
    /**
     * Tools the scenario calls after finding them with a search tool (the bridge's `search_tools`): they need not
     * be offered when it starts, only by the turn that calls them.
     */
    finds: z.array(z.string().min(1)).default([]),
    /** Values read from earlier in the conversation (recall.ts); the scenario applies only when they are found. */
    context: z.record(z.string(), RecallSpec).default({}),
    steps: z.array(z.union([Step, z.array(Step).min(1)])).min(1),
  })
  .superRefine((scenario, ctx) => {
    scenario.steps.forEach((entry, i) => {
      (Array.isArray(entry) ? entry : [entry]).forEach((step, j) => {
        const at = Array.isArray(entry) ? ['steps', i, j] : ['steps', i];
        step.calls?.forEach((call, k) => {
          if (!scenario.requires.includes(call.tool) && !scenario.finds.includes(call.tool)) {
            ctx.addIssue({
              code: 'custom',
              path: [...at, 'calls', k, 'tool'],
              message:
                `"${call.tool}" is not in "requires" or "finds" (a scenario ` +
                `calls only tools it requires or finds)`,
            });
          }
        });
        if (step.callAsText && (step.calls?.length ?? 0) !== 1) {
          ctx.addIssue({ code: 'custom', path: [...at, 'callAsText'], message: 'needs exactly one call' });
        }
      });
    });
  });

/** A scenario as written in a file (before defaults are applied). */
export type ScenarioDefinition = z.input<typeof ScenarioSchema>;
/** A loaded scenario, with the file it came from and its patterns compiled once. */
export type Scenario = z.output<typeof ScenarioSchema> & {
  source: string;
  /** `match`, compiled (case-insensitive). */
  matchPattern: RegExp;
  /** `models`, compiled, when the scenario names models. */
  modelsPattern?: RegExp;
};
/** One step of a scenario. */
export type ScenarioStep = z.output<typeof Step>;

/** A scenario that does not load: the message names the file, the scenario and the field. */
export class ScenarioError extends Error {
  /** Stable code for callers that branch on it. */
  readonly code = 'SCENARIO_INVALID';
}

type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][] };

/**
 * A union's "Invalid input" replaced by what is wrong in the form the value was written in (a step as an object,
 * or parallel steps as an array): the branch that did not fail on the value's type itself.
 */
function leafIssues(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue];
  const fits = issue.errors.find((branch) => !branch.some((e) => e.code === 'invalid_type' && e.path.length === 0));
  if (!fits) return [issue];
  return fits.flatMap((e) => leafIssues({ ...e, path: [...issue.path, ...e.path] }));
}

function parseScenarios(json: unknown, source: string): Scenario[] {
  const list = Array.isArray(json) ? json : [json];
  return list.map((item, i) => {
    const parsed = ScenarioSchema.safeParse(item);
    const name =
      item !== null && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string'
        ? ` "${(item as { name: string }).name}"`
        : '';
    const which = Array.isArray(json) ? ` scenario ${i + 1}${name}:` : name ? ` scenario${name}:` : '';
    if (!parsed.success) {
      const issues = parsed.error.issues
        .flatMap((issue) => leafIssues(issue))
        .map((issue) => `${issue.path.join('.') || '(the scenario)'}: ${issue.message}`);
      throw new ScenarioError(`${source}:${which} ${issues.join('; ')}`);
    }
    const { data } = parsed;
    return {
      ...data,
      source,
      matchPattern: new RegExp(data.match, 'i'),
      ...(data.models !== undefined && { modelsPattern: new RegExp(data.models, 'i') }),
    };
  });
}

function readFile(file: string): Scenario[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return parseScenarios(json, file);
}

function readPath(path: string): Scenario[] {
  let directory: boolean;
  try {
    directory = statSync(path).isDirectory();
  } catch (error) {
    throw new ScenarioError(`${path}: no such scenario file or folder (${(error as NodeJS.ErrnoException).code})`);
  }
  if (!directory) return readFile(path);
  return readdirSync(path)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => readFile(join(path, name)));
}

/**
 * Loads scenarios, in order: a folder (its `*.json` files in name order), a file (one scenario or an array), or
 * scenario objects (named `scenarios[i]` in errors).
 */
export function loadScenarios(source: string | readonly (string | ScenarioDefinition)[]): Scenario[] {
  const items = typeof source === 'string' ? [source] : source;
  return items.flatMap((item, i) =>
    typeof item === 'string' ? readPath(item) : parseScenarios(item, `scenarios[${i}]`),
  );
}
