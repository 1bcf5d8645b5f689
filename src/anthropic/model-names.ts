/**
 * Anthropic model names and the Bedrock model ids (cross-region inference profiles) they run as
 * (docs/anthropic.md, "Models"). A name in the table maps to its id; a Bedrock model id, inference-profile id or
 * ARN passes through unchanged, so any Bedrock model can answer through the Anthropic API; anything else is an
 * unknown model. `--models FILE` replaces or adds entries.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** The names the endpoint knows by default, newest first (the order of `GET /v1/models`). */
export const DEFAULT_MODEL_NAMES: Readonly<Record<string, string>> = {
  'claude-opus-4-5-20251101': 'us.anthropic.claude-opus-4-5-20251101-v1:0',
  'claude-opus-4-5': 'us.anthropic.claude-opus-4-5-20251101-v1:0',
  'claude-haiku-4-5-20251001': 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  'claude-haiku-4-5': 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  'claude-sonnet-4-5-20250929': 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'claude-sonnet-4-5': 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'claude-opus-4-1-20250805': 'us.anthropic.claude-opus-4-1-20250805-v1:0',
  'claude-opus-4-20250514': 'us.anthropic.claude-opus-4-20250514-v1:0',
  'claude-sonnet-4-20250514': 'us.anthropic.claude-sonnet-4-20250514-v1:0',
  'claude-3-7-sonnet-20250219': 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
  'claude-3-5-haiku-20241022': 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
};

/** A Bedrock model id (`vendor.model…`, with an optional region prefix) or an ARN. */
const BEDROCK_ID = /^(?:arn:aws[a-z-]*:bedrock:|(?:[a-z]{2,6}\.)?[a-z0-9-]+\.[A-Za-z0-9._:-]+$)/;

/** The table in effect: the defaults with the overrides on top. */
export class ModelNames {
  readonly table: Readonly<Record<string, string>>;

  constructor(overrides: Readonly<Record<string, string>> = {}) {
    this.table = { ...DEFAULT_MODEL_NAMES, ...overrides };
  }

  /** The Bedrock id for a request's `model`, or undefined for a name that is neither known nor a Bedrock id. */
  resolve(model: string): string | undefined {
    return this.table[model] ?? (BEDROCK_ID.test(model) ? model : undefined);
  }

  /** The names, in table order. */
  names(): string[] {
    return Object.keys(this.table);
  }
}

const ModelsFile = z.record(
  z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'expected a model name of letters, digits and . _ : -'),
  z.string().regex(BEDROCK_ID, 'expected a Bedrock model id, inference-profile id or ARN'),
);

/** A `--models FILE` that cannot be read or does not hold a name → id table; the message names file and field. */
export class ModelsFileError extends Error {
  /** Stable code for callers that branch on it. */
  readonly code = 'ANTHROPIC_MODELS_INVALID';
}

/** Reads a `--models` file: a JSON object from Anthropic model names to Bedrock ids. */
export async function loadModelNames(path: string): Promise<Record<string, string>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ModelsFileError(`${path}: cannot read the model table (${(error as Error).message})`);
  }
  const parsed = ModelsFile.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `${i.path.length > 0 ? `"${i.path.join('.')}"` : 'file'}: ${i.message}`,
    );
    throw new ModelsFileError(`${path}: ${issues.join('; ')} (expected {"claude-name": "bedrock-model-id", ...})`);
  }
  return parsed.data;
}
