/**
 * Bedrock's Claude models reject a request whose tools together hold more than 16 union-typed schema nodes
 * ("Schemas contains too many parameters with union types (N parameters with type arrays or anyOf)… limit: 16",
 * docs/schema-translation.md). The cap runs on the tools one request actually sends, only for models with a
 * documented limit. Past the limit it first drops `null` from optional parameters (leaving them out says the same),
 * then replaces the remaining unions, deepest and last tool first, by one schema that accepts every alternative,
 * with the alternatives written into its description: the tool never refuses an input it accepted before.
 * Every change is reported by tool and parameter. Pure: the tools passed in are never mutated.
 */
import type { ModelCapabilities } from './capabilities.js';
import type { SchemaChange } from './schema-changes.js';
import { copyJson, countUnionNodes, isSchemaObject, isUnionNode, walkSchema, type SchemaSite } from './schema-walk.js';
import type { JsonObject, JsonValue, Tool } from './types.js';

interface Site extends SchemaSite {
  node: JsonObject;
  ancestors: JsonObject[];
  tool: number;
  order: number;
}

/**
 * Union nodes per schema object, counted once: a toolset's compiled schemas are the same objects on every
 * request until its tools change, so a service answering many short loops (the gateway) walks each once. (Schemas
 * are read-only here: a caller that edits a schema object in place after a request keeps its first count.)
 */
const unionCounts = new WeakMap<object, number>();

function unionsOf(schema: JsonValue): number {
  if (!isSchemaObject(schema)) return 0;
  let count = unionCounts.get(schema);
  if (count === undefined) {
    count = countUnionNodes(schema);
    unionCounts.set(schema, count);
  }
  return count;
}

const isNull = (v: JsonValue): boolean => isSchemaObject(v) && v['type'] === 'null' && Object.keys(v).length === 1;
const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const short = (v: JsonValue, max: number): string => clip(JSON.stringify(v), max);

function appendDescription(node: JsonObject, note: string): void {
  const description = typeof node['description'] === 'string' ? node['description'].trim() : '';
  node['description'] = description === '' ? note : `${description} (${note})`;
}

/** `anyOf: [X, null]` or `type: [T, "null"]` without other unions: the node without its null branch, else undefined. */
function withoutNull(node: JsonObject): JsonObject | undefined {
  const type = node['type'];
  const anyOf = node['anyOf'];
  if (Array.isArray(type) && anyOf === undefined && node['oneOf'] === undefined) {
    const rest = type.filter((t) => t !== 'null');
    return rest.length === 1 && rest.length < type.length ? { ...node, type: rest[0] as JsonValue } : undefined;
  }
  if (Array.isArray(anyOf) && type === undefined && node['oneOf'] === undefined) {
    const rest = anyOf.filter((b) => !isNull(b));
    if (rest.length !== 1 || rest.length === anyOf.length || !isSchemaObject(rest[0])) return undefined;
    const { anyOf: _, ...siblings } = node;
    const next = { ...rest[0], ...siblings };
    return isUnionNode(next) ? undefined : next;
  }
  return undefined;
}

/** One schema without a union at this node that accepts everything the node accepted. */
function widened(node: JsonObject): { schema: JsonObject; was: string } {
  const { anyOf, oneOf, type, ...rest } = node;
  const branches = [...(Array.isArray(anyOf) ? anyOf : []), ...(Array.isArray(oneOf) ? oneOf : [])];
  const schema: JsonObject = { ...rest };
  const types = Array.isArray(type) ? type : [];
  if (type !== undefined && !Array.isArray(type)) schema['type'] = type;
  const parts: string[] = [];
  if (types.length > 0) parts.push(`type ${types.join(' | ')}`);
  if (branches.length > 0) {
    parts.push(`${oneOf === undefined ? 'any' : 'exactly one'} of ${branches.map((b) => short(b, 160)).join(' | ')}`);
    const values = branches.flatMap((b) =>
      isSchemaObject(b) && Array.isArray(b['enum']) ? b['enum'] : isSchemaObject(b) && 'const' in b ? [b['const']] : [],
    );
    const allEnumerated = branches.every((b) => isSchemaObject(b) && (Array.isArray(b['enum']) || 'const' in b));
    if (allEnumerated && !('enum' in schema) && !('const' in schema)) schema['enum'] = values;
  }
  const was = parts.join('; ');
  appendDescription(schema, `accepts ${clip(was, 600)}`);
  return { schema, was };
}

/**
 * Replaces `site.node` by `next`, which accepts more, and keeps that true for the whole schema: a `oneOf` above it
 * becomes `anyOf` (a value may now match two branches), `maxContains` and `unevaluated*` above it go.
 */
function replaceNode(site: Site, next: JsonObject): void {
  for (const key of Object.keys(site.node)) delete site.node[key];
  Object.assign(site.node, next);
  for (const above of site.ancestors) {
    if (Array.isArray(above['oneOf'])) {
      // Beside an anyOf the oneOf just goes (one condition less), so the node still counts once.
      if (!Array.isArray(above['anyOf'])) above['anyOf'] = above['oneOf'];
      delete above['oneOf'];
    }
    delete above['maxContains'];
    delete above['unevaluatedProperties'];
    delete above['unevaluatedItems'];
  }
}

/**
 * The tools with at most `caps.schemaRules.unionLimit` union nodes in all, and what was changed. Tools later in the
 * list are changed first, so a caller lists what it must keep as it is (a client's own tools) first.
 */
export function capUnionParameters(
  tools: readonly Tool[],
  caps: ModelCapabilities,
): { tools: Tool[]; changes: SchemaChange[] } {
  const limit = caps.schemaRules.unionLimit;
  if (limit === undefined || caps.toolUse !== 'native') return { tools: [...tools], changes: [] };
  const counts = tools.map((t) => ('toolSpec' in t ? unionsOf(t.toolSpec.inputSchema.json) : 0));
  let excess = counts.reduce((a, b) => a + b, 0) - limit;
  if (excess <= 0) return { tools: [...tools], changes: [] };

  const out = [...tools];
  const sites: Site[] = [];
  out.forEach((tool, index) => {
    if (!('toolSpec' in tool) || counts[index] === 0) return;
    // Not structuredClone: a subschema object shared by two parameters must become two nodes.
    const json = copyJson(tool.toolSpec.inputSchema.json);
    out[index] = { toolSpec: { ...tool.toolSpec, inputSchema: { json } } };
    walkSchema(json, (node, site, ancestors) => {
      if (isUnionNode(node)) sites.push({ ...site, node, ancestors: [...ancestors], tool: index, order: sites.length });
    });
  });
  // Later tools first, deepest nodes first: every step removes exactly one union node.
  sites.sort((a, b) => b.tool - a.tool || b.depth - a.depth || b.order - a.order);
  const name = (s: Site): string => {
    const tool = out[s.tool] as Tool;
    return 'toolSpec' in tool ? tool.toolSpec.name : '';
  };
  const changes: SchemaChange[] = [];
  const why = `Claude on Bedrock accepts at most ${limit} union-typed parameters per request`;
  for (const site of sites) {
    if (excess <= 0) break;
    // Under `not`/`if`, accepting more or less there turns around overall: those are handled last.
    const next = site.optional && !site.negated ? withoutNull(site.node) : undefined;
    if (!next) continue;
    replaceNode(site, next);
    excess--;
    changes.push({
      tool: name(site),
      parameter: site.parameter,
      kind: 'narrowed',
      detail: `no longer accepts null, leave it out instead (${why})`,
    });
  }
  for (const site of sites) {
    if (excess <= 0) break;
    if (site.negated || !isUnionNode(site.node)) continue;
    const { schema, was } = widened(site.node);
    replaceNode(site, schema);
    excess--;
    changes.push({
      tool: name(site),
      parameter: site.parameter,
      kind: 'widened',
      detail: `its alternatives (${clip(was, 120)}) moved into its description (${why})`,
    });
  }
  // Unions left only under `not`/`if`: the whole negated condition goes (accepting more).
  for (const site of sites) {
    if (excess <= 0) break;
    if (!site.negated || !isUnionNode(site.node)) continue;
    const dropped = dropNegation(site);
    if (!dropped) continue;
    const before = excess;
    excess =
      out.reduce((sum, t) => sum + ('toolSpec' in t ? countUnionNodes(t.toolSpec.inputSchema.json) : 0), 0) - limit;
    // A site inside a condition an earlier step removed changes nothing that is sent.
    if (excess < before)
      changes.push({
        tool: name(site),
        parameter: site.parameter,
        kind: 'widened',
        detail: `the ${dropped} condition around it was dropped (${why})`,
      });
  }
  return { tools: out, changes };
}

/** Removes the nearest `not` or `if` (with its then/else) above a site; which one, or undefined. */
function dropNegation(site: Site): string | undefined {
  for (let i = site.ancestors.length - 1; i >= 0; i--) {
    const above = site.ancestors[i] as JsonObject;
    const child = i === site.ancestors.length - 1 ? site.node : site.ancestors[i + 1];
    if (above['not'] === child) {
      delete above['not'];
      return 'not';
    }
    if (above['if'] === child) {
      delete above['if'];
      delete above['then'];
      delete above['else'];
      return 'if';
    }
  }
  return undefined;
}
