/** `mcp-bedrock anthropic`: the Anthropic Messages API in front of Bedrock, with programmatic tool calling. */
import { z } from 'zod';
import { needsApprovalFor } from '../../../bridge/entries/config.js';
import { loadModelNames, startAnthropicServer } from '../../anthropic/index.js';
import { configuredServers } from '../../config/index.js';
import { WireModelClient } from '../../gateway/wire-model-client.js';
import { connectServers } from '../../runtime/connect-servers.js';
import { CliError } from '../cli-error.js';
import {
  badOption,
  ENDPOINT_ARGS,
  endpointOptionShape,
  endpointUpstream,
  keysOption,
  parseEndpointOptions,
  untilStopped,
  upstreamLabel,
} from '../endpoint-options.js';
import { HELP } from '../help.js';
import { parseCommandLine } from '../options.js';

const Options = z.object({
  ...endpointOptionShape(8789),
  'container-idle': z.coerce
    .number('--container-idle expects whole seconds from 1 to 3600')
    .int('--container-idle expects whole seconds from 1 to 3600')
    .min(1, '--container-idle expects whole seconds from 1 to 3600')
    .max(3600, '--container-idle expects whole seconds from 1 to 3600')
    .optional(),
});

export async function anthropicCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, {
    ...ENDPOINT_ARGS,
    models: { type: 'string' },
    mcp: { type: 'boolean' },
    'no-code-execution': { type: 'boolean' },
    'allow-unisolated-sandbox': { type: 'boolean' },
    'container-idle': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(`${HELP['anthropic']}\n`);
    return 0;
  }
  const options = parseEndpointOptions(Options, values);
  const warn = (m: string): boolean => process.stderr.write(`! ${m}\n`);
  const keys = await keysOption(values.keys, warn);
  const models = values.models ? await loadModelNames(values.models).catch(badOption) : undefined;
  // MCP tools are added only when asked for (--mcp or --config): an Anthropic client brings its own tools.
  const configs = values.mcp || values.config ? await configuredServers(values.config) : [];
  const servers = await connectServers(configs, { onWarning: (m) => warn(m) });
  const upstream = endpointUpstream(options, values.profile);
  const server = await startAnthropicServer({
    host: options.host,
    port: options.port,
    client: new WireModelClient(upstream),
    ...(keys && { keys }),
    ...(models && { models }),
    ...(values['allowed-host'] && { allowedHosts: values['allowed-host'] }),
    ...(configs.length > 0 && { toolset: servers.toolset }),
    needsApproval: needsApprovalFor(configs),
    ...(options['container-idle'] && { containerIdleMs: options['container-idle'] * 1000 }),
    codeExecution: values['no-code-execution']
      ? false
      : { allowUnisolated: values['allow-unisolated-sandbox'] ?? false, onWarning: (m) => warn(m) },
  }).catch(async (error: unknown) => {
    await servers.close();
    throw new CliError('ANTHROPIC_START', (error as Error).message, 1);
  });
  const tools = servers.toolset.list().length;
  process.stdout.write(
    `Anthropic Messages API on ${server.url} ` +
      `→ ${upstreamLabel(options)}; ` +
      `${tools > 0 ? `with ${tools} MCP tools` : 'no MCP tools'}` +
      `${values['no-code-execution'] ? '' : ', code execution in the sandbox'}. Ctrl-C stops it.\n`,
  );
  await untilStopped();
  await server.close();
  await servers.close();
  return 0;
}
