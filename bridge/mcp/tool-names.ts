/**
 * One registry from MCP tools to Converse names (`^[a-zA-Z0-9_-]{1,64}$`): deterministic (the same tools give the
 * same names on every start, so saved histories still route), server prefix only on collision unless asked,
 * and a short hash when a name must be shortened so two tools never share a name.
 */
import { createHash } from 'node:crypto';

/** A tool by its server and its own name. */
export interface NamedTool {
  server: string;
  tool: string;
}

const MAX = 64;

function sanitize(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, '_');
  return cleaned === '' ? 'tool' : cleaned;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}

function fitName(name: string, identity: string): string {
  return name.length <= MAX ? name : `${name.slice(0, MAX - 7)}_${shortHash(identity)}`;
}

/** Converse name per tool, in input order; keys are `server\u0000tool`. */
export function converseNames(
  tools: readonly NamedTool[],
  options: { alwaysPrefix?: boolean } = {},
): Map<string, string> {
  const plain = new Map<string, number>();
  for (const t of tools) plain.set(sanitize(t.tool), (plain.get(sanitize(t.tool)) ?? 0) + 1);
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const t of tools) {
    const identity = `${t.server}\u0000${t.tool}`;
    const base = sanitize(t.tool);
    const prefixed = options.alwaysPrefix || (plain.get(base) ?? 0) > 1;
    let name = fitName(prefixed ? `${sanitize(t.server)}__${base}` : base, identity);
    // Sanitising can still make two names equal (a.b and a_b): the hash keeps them apart.
    if (used.has(name)) name = fitName(`${name.slice(0, MAX - 7)}_${shortHash(identity)}`, identity);
    used.add(name);
    names.set(identity, name);
  }
  return names;
}
