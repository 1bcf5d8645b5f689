/** `mcp-bedrock tools`: where the config came from, server status, tools, the names the model sees, warnings. */
import { capabilitiesFor, describeChange, requestTools, toolNames } from '../../../bridge/entries/converse.js';
import { describeSource } from '../../config/index.js';
import { declineElicitation } from '../../runtime/elicitation.js';
import { failureDetails, openTools } from '../../runtime/runtime.js';
import { HELP } from '../help.js';
import { parseModelOptions } from '../options.js';
import { plural } from '../plural.js';

/** Exit code 0 when every server started, 1 when one failed (its error and last stderr lines are shown). */
export async function toolsCommand(argv: string[]): Promise<number> {
  const { options } = parseModelOptions('tools', argv, process.env);
  if (options.help) {
    process.stdout.write(`${HELP['tools']}\n`);
    return 0;
  }
  const out = (text: string): void => {
    process.stdout.write(`${text}\n`);
  };
  // Failures are part of this command's output: shown once, in the listing, not also as warnings.
  const runtime = await openTools(options, {
    notice: options.verbose ? (l) => process.stderr.write(`${l}\n`) : () => {},
    // Advertised as in run and chat (servers list some tools only to clients that sample); never asked here.
    sampling: async () => {
      throw new Error('sampling is answered in run and chat, not while listing tools');
    },
    elicitation: declineElicitation('input is asked for in run and chat, not while listing tools', () => {}),
  });
  try {
    const caps = capabilitiesFor(options.model);
    const toolset = runtime.connected.toolset;
    // Exactly what a request sends, with every schema change named by tool and parameter.
    const { tools, warnings, changes } = requestTools(toolset, caps);
    const sent = toolNames(tools);
    const all = toolset.list();
    const servers = runtime.servers();
    const failed = servers.filter((s) => s.status === 'failed');
    if (options.json) {
      out(
        JSON.stringify(
          {
            model: options.model,
            config: runtime.source,
            servers,
            tools: all.map((d) => ({ ...d, sent: sent.has(d.name) })),
            warnings,
            changes,
          },
          null,
          2,
        ),
      );
      return failed.length > 0 ? 1 : 0;
    }
    out(describeSource(runtime.source));
    for (const server of servers) {
      if (server.status !== 'connected') {
        out(`${server.name}: ${server.status} — ${server.error ?? 'unknown error'}`);
        for (const line of failureDetails(server, runtime.logs)) out(line);
        continue;
      }
      const hidden = server.listed - server.tools;
      const hiddenNote = hidden > 0 ? ` (${hidden} of ${server.listed} hidden by the config's allow/deny lists)` : '';
      out(`${server.name}: connected, ${plural(server.tools, 'tool')}${hiddenNote}`);
      for (const d of all.filter((t) => t.server === server.name)) {
        const alias = d.name === d.tool ? '' : `  (model sees "${d.name}")`;
        out(`  ${d.tool}${alias}${sent.has(d.name) ? '' : '  [not sent]'}\n      ${d.description.split('\n')[0]}`);
      }
    }
    const toolUse = caps.toolUse === 'native' ? 'native tool use' : 'prompt-based tool calling';
    out(`\n${options.model}: ${toolUse}, ${plural(tools.length, 'tool')} sent`);
    for (const warning of [...warnings, ...changes.map(describeChange)]) out(`! ${warning}`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
