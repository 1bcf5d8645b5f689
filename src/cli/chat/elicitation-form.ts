/**
 * A server asks the chat's user for input (MCP elicitation), on the prompt approvals use: a form is asked field by
 * field from the requested schema (defaults shown and kept on Enter, enums as numbered choices, required fields and
 * formats checked, the answers shown before they are sent), a link is opened only after the user says yes. Every
 * request can be declined or, with Ctrl-C, cancelled. See README ("When a server asks for input").
 */
import {
  type ElicitationHandler,
  type ElicitationResult,
  type FieldValue,
  type FormElicitation,
  type FormField,
  formFields,
  parseFieldInput,
  type UrlElicitation,
} from '../../../bridge/index.js';
import type { Style } from '../style.js';

/** What the form needs from the chat. */
export interface ElicitationPrompt {
  /** One answer; undefined when the user pressed Ctrl-C or the input ended (the request is cancelled). */
  ask(question: string): Promise<string | undefined>;
  print(line: string): void;
  style: Style;
  /** Opens a link in the browser; false when none could be started. */
  openUrl(url: string): Promise<boolean>;
}

const CANCEL: ElicitationResult = { action: 'cancel' };
const DECLINE: ElicitationResult = { action: 'decline' };
const yes = (answer: string): boolean => /^\s*y(es)?\s*$/i.test(answer);
const no = (answer: string): boolean => /^\s*n(o)?\s*$/i.test(answer);

function shown(field: FormField, value: FieldValue): string {
  const title = (v: string): string => field.options?.find((o) => o.value === v)?.title ?? v;
  if (Array.isArray(value)) return value.map(title).join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return typeof value === 'string' ? title(value) : String(value);
}

function question(field: FormField): string {
  const kind =
    field.type === 'boolean'
      ? 'y/n'
      : field.type === 'choice'
        ? 'a number'
        : field.type === 'choices'
          ? 'numbers, comma-separated'
          : field.type === 'string'
            ? field.format
            : field.type === 'integer'
              ? 'a whole number'
              : 'a number';
  const range =
    field.minimum !== undefined || field.maximum !== undefined
      ? ` ${field.minimum ?? '…'}-${field.maximum ?? '…'}`
      : '';
  const hints = [kind && `${kind}${range}`, field.required && 'required'].filter(Boolean).join(', ');
  const fallback = field.default !== undefined ? ` [${shown(field, field.default)}]` : '';
  return `    ${field.label}${hints ? ` (${hints})` : ''}${fallback}: `;
}

async function fill(request: FormElicitation, server: string, prompt: ElicitationPrompt): Promise<ElicitationResult> {
  const { style } = prompt;
  const fields = formFields(request);
  prompt.print(style.bold(`  ? ${server} asks: ${request.message}`));
  const start = await prompt.ask(`    fill in the form (${fields.length} fields)? [Y/n] (n declines, Ctrl-C cancels) `);
  if (start === undefined) return CANCEL;
  if (no(start)) return DECLINE;
  const content: Record<string, FieldValue> = {};
  for (const field of fields) {
    if (field.description) prompt.print(style.dim(`    ${field.description}`));
    if (field.options) prompt.print(`      ${field.options.map((o, i) => `${i + 1}) ${o.title}`).join('  ')}`);
    for (;;) {
      const answer = await prompt.ask(question(field));
      if (answer === undefined) return CANCEL;
      const parsed = parseFieldInput(field, answer);
      if ('error' in parsed) {
        prompt.print(style.red(`    ✗ ${parsed.error}`));
        continue;
      }
      if (parsed.value !== undefined) content[field.name] = parsed.value;
      break;
    }
  }
  const byName = new Map(fields.map((f) => [f.name, f]));
  prompt.print(`  ${server} will get:`);
  for (const [name, value] of Object.entries(content))
    prompt.print(`    ${byName.get(name)?.label ?? name}: ${shown(byName.get(name) as FormField, value)}`);
  const send = await prompt.ask(`  send these answers to ${server}? [Y/n] `);
  if (send === undefined) return CANCEL;
  return no(send) ? DECLINE : { action: 'accept', content };
}

async function visit(request: UrlElicitation, server: string, prompt: ElicitationPrompt): Promise<ElicitationResult> {
  const { style } = prompt;
  const url = URL.canParse(request.url) ? new URL(request.url) : undefined;
  prompt.print(style.bold(`  ? ${server} asks you to open a page: ${request.message}`));
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    prompt.print(style.red(`    ✗ ${JSON.stringify(request.url)} is not an http(s) link: declined`));
    return DECLINE;
  }
  prompt.print(`    ${request.url} ${style.dim(`(${url.host})`)}`);
  const answer = await prompt.ask('    open it in your browser? [y/N] (n declines, Ctrl-C cancels) ');
  if (answer === undefined) return CANCEL;
  if (!yes(answer)) return DECLINE;
  if (!(await prompt.openUrl(request.url)))
    prompt.print(style.yellow('    could not start a browser: open the link above yourself'));
  return { action: 'accept' };
}

/** The chat's elicitation handler: asks the user through `prompt`. */
export function chatElicitation(prompt: ElicitationPrompt): ElicitationHandler {
  return (request, server) => (request.mode === 'url' ? visit(request, server, prompt) : fill(request, server, prompt));
}
