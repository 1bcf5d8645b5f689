/**
 * The normalised request digest that matches a replayed request to its recording (docs/emulator.md, "How a
 * request finds its recording"): what differs between two runs of the same conversation without changing what
 * the model was asked is normalised away — key order, runs of whitespace, tool-use ids (numbered in order of
 * appearance, since a client may generate its own), `requestMetadata` — and secrets are scrubbed first, exactly
 * as they were when the recording was written.
 */
import { createHash } from 'node:crypto';
import type { Operation } from './recording-file.js';
import { scrubJson } from './scrub.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Fields that vary per call without changing the question (trace ids and the like). */
const IGNORED_FIELDS = new Set(['requestMetadata']);

/** The request as the digest sees it: scrubbed, ids numbered, whitespace collapsed, volatile fields dropped. */
export function normaliseRequest(body: Record<string, unknown>): Json {
  const ids = new Map<string, string>();
  const walk = (value: unknown, key?: string, root = false): Json => {
    if (typeof value === 'string') {
      if (key === 'toolUseId') {
        if (!ids.has(value)) ids.set(value, `#${ids.size + 1}`);
        return ids.get(value) as string;
      }
      return value.replace(/\s+/g, ' ').trim();
    }
    if (Array.isArray(value)) return value.map((item) => walk(item));
    if (value !== null && typeof value === 'object') {
      const out: { [key: string]: Json } = {};
      for (const k of Object.keys(value).sort()) {
        if (root && IGNORED_FIELDS.has(k)) continue;
        out[k] = walk((value as Record<string, unknown>)[k], k);
      }
      return out;
    }
    return (value ?? null) as Json;
  };
  return walk(scrubJson(body), undefined, true);
}

/** `sha256:<hex>` over the operation, the model id and the normalised request. */
export function requestDigest(operation: Operation, modelId: string, body: Record<string, unknown>): string {
  const text = JSON.stringify([operation, scrubJson(modelId), normaliseRequest(body)]);
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Where two normalised requests first differ, and how many leaves differ in all. */
export interface RequestDifference {
  /** Dotted path of the first difference (`messages.2.content.0.toolResult.content.0.text`). */
  path: string;
  recorded: string;
  sent: string;
  count: number;
}

const show = (value: Json | undefined): string => {
  const text = value === undefined ? '(absent)' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** Compares two normalised requests; undefined when they are equal. */
export function differenceOf(recorded: Json, sent: Json): RequestDifference | undefined {
  let first: Omit<RequestDifference, 'count'> | undefined;
  let count = 0;
  const walk = (a: Json | undefined, b: Json | undefined, path: string): void => {
    const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object';
    if (bothObjects && Array.isArray(a) === Array.isArray(b)) {
      const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
      for (const key of keys) {
        walk((a as Record<string, Json>)[key], (b as Record<string, Json>)[key], path === '' ? key : `${path}.${key}`);
      }
      return;
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    count++;
    first ??= { path: path || '(the whole request)', recorded: show(a), sent: show(b) };
  };
  walk(recorded, sent, '');
  return first ? { ...first, count } : undefined;
}
