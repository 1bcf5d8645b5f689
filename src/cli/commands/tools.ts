/** `mcp-bedrock tools`: server status, tools, the Converse names the model sees, schema warnings. */
import { capabilitiesFor, describeChange, requestTools } from '../../../bridge/entries/converse.js';
import { HELP } from '../help.js';
import { parseModelOptions } from '../options.js';
import { openRuntime } from '../../runtime/runtime.js';

export async function toolsCommand(argv: string[]): Promise<number> {
  const { options } = parseModelOptions(argv, process.env);
  if (options.help) {
    process.stdout.write(`${HELP['tools']}\n`);
    return 0;
  }
  const runtime = await openRuntime(options, {});
  try {
    const caps = capabilitiesFor(options.model);
    // Exactly what a request sends, with every schema change named by tool and parameter.
    const { tools, warnings, changes } = requestTools(runtime.toolset, caps);
    const sent = new Set(tools.flatMap((t) => ('toolSpec' in t ? [t.toolSpec.name] : [])));
    const all = runtime.toolset.list();
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ model: options.model, servers: runtime.servers(), tools: all.map((d) => ({ ...d, sent: sent.has(d.name) })), warnings, changes }, null, 2)}\n`,
      );
      return 0;
    }
    for (const server of runtime.servers()) {
      process.stdout.write(
        `${server.name}: ${server.status}${server.error ? ` — ${server.error}` : `, ${server.tools} tools`}\n`,
      );
      for (const d of all.filter((t) => t.server === server.name)) {
        const alias = d.name === d.tool ? '' : `  (model sees "${d.name}")`;
        process.stdout.write(
          `  ${d.tool}${alias}${sent.has(d.name) ? '' : '  [not sent]'}\n      ${d.description.split('\n')[0]}\n`,
        );
      }
    }
    process.stdout.write(
      `\n${options.model}: ${caps.toolUse === 'native' ? 'native tool use' : 'prompt-based tool calling'}, ${tools.length} tools sent\n`,
    );
    for (const warning of [...warnings, ...changes.map(describeChange)]) process.stdout.write(`! ${warning}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}
