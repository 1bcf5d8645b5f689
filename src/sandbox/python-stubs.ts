/**
 * The Python view of MCP tools (docs/code-mode.md): one `async def` per tool with keyword arguments (positional ones
 * are mapped in schema order, as models sometimes pass them), a docstring from the description and schemas, and
 * a `ToolError` raised for failed calls. Results are strings: parse JSON with `json.loads`.
 */
import type { JsonObject, JsonValue } from '../../bridge/index.js';

export interface CodeTool {
  /** The name the host routes calls by (the Converse name). */
  name: string;
  description: string;
  inputSchema: JsonObject;
  outputSchema?: JsonObject;
}

const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield match case type print ' +
    'len list dict str int float bool id input open json asyncio'
  ).split(' '),
);

export function pythonName(name: string): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^\d/.test(id)) id = `_${id}`;
  return KEYWORDS.has(id) ? `${id}_` : id;
}

// Not the bridge's isJsonObject: the sandbox child loads this file under Node's permission model, which lets it
// read src/sandbox and Pyodide only.
const isObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function pyType(schema: JsonValue | undefined): string {
  if (!isObject(schema)) return 'Any';
  if (Array.isArray(schema['enum'])) return `Literal[${schema['enum'].map((v) => JSON.stringify(v)).join(', ')}]`;
  switch (schema['type']) {
    case 'string':
      return 'str';
    case 'integer':
      return 'int';
    case 'number':
      return 'float';
    case 'boolean':
      return 'bool';
    case 'array':
      return `list[${pyType(schema['items'])}]`;
    case 'object':
      return 'dict[str, Any]';
    default:
      return 'Any';
  }
}

function properties(schema: JsonObject): [string, JsonObject][] {
  const props = isObject(schema['properties']) ? schema['properties'] : {};
  return Object.entries(props).map(([k, v]) => [k, isObject(v) ? v : {}]);
}

export function signature(tool: CodeTool): string {
  const required = new Set(Array.isArray(tool.inputSchema['required']) ? tool.inputSchema['required'] : []);
  const params = properties(tool.inputSchema)
    .sort(([a], [b]) => Number(required.has(b)) - Number(required.has(a)))
    .map(([key, prop]) => `${pythonName(key)}: ${pyType(prop)}${required.has(key) ? '' : ' = None'}`);
  return `async def ${pythonName(tool.name)}(${params.length > 0 ? `*, ${params.join(', ')}` : ''}) -> str`;
}

export function docstring(tool: CodeTool): string {
  const required = new Set(Array.isArray(tool.inputSchema['required']) ? tool.inputSchema['required'] : []);
  const args = properties(tool.inputSchema).map(
    ([key, prop]) =>
      `    ${pythonName(key)} (${pyType(prop)}${required.has(key) ? '' : ', optional'}): ` +
      `${typeof prop['description'] === 'string' ? prop['description'] : ''}`,
  );
  const returns = tool.outputSchema
    ? `JSON text; json.loads() gives an object shaped ` +
      `like ${JSON.stringify(tool.outputSchema['properties'] ?? tool.outputSchema)}`
    : "the tool's text output; if it is JSON, parse it with json.loads()";
  return [
    tool.description,
    ...(args.length > 0 ? ['', 'Args:', ...args] : []),
    '',
    `Returns: ${returns}`,
    'Raises: ToolError when the tool fails.',
  ].join('\n');
}

/**
 * What every program's namespace starts with: `asyncio`, `json`, `ToolError` and the call helper the stubs use.
 * The child runs it once before it is ready and gives each program a copy of the result.
 */
export const PRELUDE_BASE = [
  'import asyncio, json',
  'from _ptc_host import call as _host_call',
  'class ToolError(Exception):',
  '    pass',
  'async def _call(name, order, args, kwargs):',
  '    for key, value in zip(order, args):',
  '        kwargs.setdefault(key, value)',
  '    reply = json.loads(await _host_call(name, json.dumps({k: v for k, v in kwargs.items() if v is not None})))',
  "    if not reply['ok']:",
  "        raise ToolError(reply['text'])",
  "    return reply['text']",
].join('\n');

/** Python source that defines one stub per tool (in a namespace that starts from {@link PRELUDE_BASE}). */
export function toolStubs(tools: readonly CodeTool[]): string {
  return tools
    .map((tool) => {
      const order = properties(tool.inputSchema).map(([key]) => key);
      const doc = docstring(tool).replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"');
      return [
        `async def ${pythonName(tool.name)}(*args, **kwargs):`,
        `    """${doc}"""`,
        `    return await _call(${JSON.stringify(tool.name)}, ${JSON.stringify(order)}, args, kwargs)`,
      ].join('\n');
    })
    .join('\n');
}
