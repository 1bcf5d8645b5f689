/**
 * MCP elicitation: a server asks the user for input, either a form (a flat object of primitive fields described
 * by a restricted JSON Schema) or a URL to open (a sign-in, a payment). `McpHub` advertises the capability only
 * when it has a handler and the server's entry allows it, as for sampling; in the 2026-07-28 era the same
 * handler answers `input_required` results. The field helpers here let a front end (the CLI) render a form
 * and check answers; docs/remote-servers.md ("Elicitation") says what the CLI does.
 */

/** A form-mode request: `message` to show, `requestedSchema` describing the fields. */
export interface FormElicitation {
  mode?: 'form';
  message: string;
  requestedSchema: { type: 'object'; properties: Record<string, unknown>; required?: string[] };
}

/** A URL-mode request: the user is asked to open `url` (the server never learns what happens there). */
export interface UrlElicitation {
  mode: 'url';
  message: string;
  url: string;
  elicitationId?: string;
}

/** What a server asks. */
export type ElicitationRequest = FormElicitation | UrlElicitation;

/** A field's answer. */
export type FieldValue = string | number | boolean | string[];

// A type literal, not an interface: it must fit the MCP SDK's open result type (an index signature).
/** The user's answer: `accept` (with the form's content), `decline` or `cancel`. */
export type ElicitationResult = {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, FieldValue>;
};

/** Answers one server's elicitation request; `server` says which server asked. */
export type ElicitationHandler = (request: ElicitationRequest, server: string) => Promise<ElicitationResult>;

/** One field of a form, as a front end shows and checks it. */
export interface FormField {
  name: string;
  /** `title`, else the name. */
  label: string;
  description?: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'choice' | 'choices';
  required: boolean;
  default?: FieldValue;
  /** For `choice`/`choices`: the values and their titles. */
  options?: { value: string; title: string }[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** `email`, `uri`, `date`, `date-time`. */
  format?: string;
}

type Schema = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function choices(schema: Schema): { value: string; title: string }[] | undefined {
  if (Array.isArray(schema['enum'])) {
    const names = Array.isArray(schema['enumNames']) ? (schema['enumNames'] as unknown[]) : [];
    return (schema['enum'] as unknown[]).map((v, i) => ({ value: String(v), title: str(names[i]) ?? String(v) }));
  }
  const titled = (schema['oneOf'] ?? schema['anyOf']) as Schema[] | undefined;
  if (Array.isArray(titled))
    return titled.map((o) => ({ value: String(o['const']), title: str(o['title']) ?? String(o['const']) }));
  return undefined;
}

/** The fields of a form request, in the schema's order. */
export function formFields(request: FormElicitation): FormField[] {
  const required = new Set(request.requestedSchema.required ?? []);
  return Object.entries(request.requestedSchema.properties ?? {}).map(([name, raw]) => {
    const schema = (raw ?? {}) as Schema;
    const items = schema['items'] as Schema | undefined;
    const single = choices(schema);
    const multi = schema['type'] === 'array' && items ? choices(items) : undefined;
    const type: FormField['type'] = multi
      ? 'choices'
      : single
        ? 'choice'
        : schema['type'] === 'number' || schema['type'] === 'integer' || schema['type'] === 'boolean'
          ? schema['type']
          : 'string';
    const field: FormField = { name, label: str(schema['title']) ?? name, type, required: required.has(name) };
    const description = str(schema['description']);
    if (description !== undefined) field.description = description;
    const options = multi ?? single;
    if (options) field.options = options;
    if (schema['default'] !== undefined) field.default = schema['default'] as FieldValue;
    for (const key of ['minimum', 'maximum', 'minLength', 'maxLength'] as const) {
      const value =
        num(schema[key]) ?? (key.endsWith('Length') ? num(schema[key.replace('Length', 'Items')]) : undefined);
      if (value !== undefined) field[key] = value;
    }
    const format = str(schema['format']);
    if (format !== undefined) field.format = format;
    return field;
  });
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads what the user typed for `field`: a value, `undefined` for an empty answer (the default, or nothing),
 * or an error message saying what is expected. Choices are given by number or value, several separated by commas.
 */
export function parseFieldInput(field: FormField, input: string): { value?: FieldValue } | { error: string } {
  const text = input.trim();
  if (text === '') {
    if (field.default !== undefined) return { value: field.default };
    return field.required ? { error: `${field.label} is required` } : {};
  }
  switch (field.type) {
    case 'boolean':
      if (/^(y|yes|true|1)$/i.test(text)) return { value: true };
      if (/^(n|no|false|0)$/i.test(text)) return { value: false };
      return { error: 'expected yes or no' };
    case 'number':
    case 'integer': {
      const value = Number(text);
      if (!Number.isFinite(value) || (field.type === 'integer' && !Number.isInteger(value)))
        return { error: `expected ${field.type === 'integer' ? 'a whole number' : 'a number'}` };
      if (field.minimum !== undefined && value < field.minimum) return { error: `expected at least ${field.minimum}` };
      if (field.maximum !== undefined && value > field.maximum) return { error: `expected at most ${field.maximum}` };
      return { value };
    }
    case 'choice':
    case 'choices': {
      const options = field.options ?? [];
      const picked: string[] = [];
      for (const part of field.type === 'choice' ? [text] : text.split(',').map((p) => p.trim())) {
        const index = /^\d+$/.test(part) ? Number(part) - 1 : -1;
        const option = options[index] ?? options.find((o) => o.value === part || o.title === part);
        if (!option) return { error: `expected one of ${options.map((o, i) => `${i + 1}) ${o.title}`).join(', ')}` };
        picked.push(option.value);
      }
      if (field.type === 'choice') return { value: picked[0] as string };
      if (field.minLength !== undefined && picked.length < field.minLength)
        return { error: `pick at least ${field.minLength}` };
      if (field.maxLength !== undefined && picked.length > field.maxLength)
        return { error: `pick at most ${field.maxLength}` };
      return { value: picked };
    }
    default: {
      if (field.minLength !== undefined && text.length < field.minLength)
        return { error: `expected at least ${field.minLength} characters` };
      if (field.maxLength !== undefined && text.length > field.maxLength)
        return { error: `expected at most ${field.maxLength} characters` };
      if (field.format === 'email' && !EMAIL.test(text)) return { error: 'expected an email address' };
      if (field.format === 'uri' && !URL.canParse(text)) return { error: 'expected a URL' };
      if (field.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(text))
        return { error: 'expected a date (YYYY-MM-DD)' };
      return { value: text };
    }
  }
}

/** The answers a form gets from its defaults alone, or `undefined` when a required field has none. */
export function defaultAnswers(request: FormElicitation): Record<string, FieldValue> | undefined {
  const content: Record<string, FieldValue> = {};
  for (const field of formFields(request)) {
    if (field.default !== undefined) content[field.name] = field.default;
    else if (field.required) return undefined;
  }
  return content;
}
