/** `mcp-bedrock gateway`: a Bedrock-compatible endpoint that adds the configured MCP servers' tools. */
import { loadPrices } from '../../runtime/prices.js';
import { z } from 'zod';
import { configuredServers } from '../../config/index.js';
import { startGateway } from '../../gateway/index.js';
import { CliError } from '../cli-error.js';
import {
  ENDPOINT_ARGS,
  endpointOptionShape,
  endpointUpstream,
  keysOption,
  parseEndpointOptions,
  untilStopped,
  upstreamLabel,
} from '../endpoint-options.js';
import { withOAuth } from '../../oauth/server-auth.js';
import { connectServers } from '../../runtime/connect-servers.js';
import { declineElicitation } from '../../runtime/elicitation.js';
import { needsApprovalFor } from '../../../bridge/entries/config.js';
import { HELP } from '../help.js';
import { parseCommandLine } from '../options.js';

const Options = z.object(endpointOptionShape(8788));

export async function gatewayCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, {
    ...ENDPOINT_ARGS,
    key: { type: 'string', multiple: true },
    'no-mcp': { type: 'boolean' },
    'expose-tool-traffic': { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP['gateway']}\n`);
    return 0;
  }
  if (values.key) {
    throw new CliError(
      'CLI_BAD_OPTION',
      '--key is gone: a key on the command line is visible to every local user in ps. Put the keys in a file ' +
        '(chmod 600) and pass --keys FILE; see mcp-bedrock gateway --help for its format.',
    );
  }
  const options = parseEndpointOptions(Options, values);
  const configs = values['no-mcp'] ? [] : await configuredServers(values.config);
  const warn = (m: string): boolean => process.stderr.write(`! ${m}\n`);
  const keys = await keysOption(values.keys, warn);
  // OAuth without a person: client_credentials entries, or tokens from "mcp-bedrock auth login".
  const servers = await connectServers(withOAuth(configs, { mode: 'refuse', notice: warn }), {
    onWarning: (m) => process.stderr.write(`! ${m}\n`),
    elicitation: declineElicitation('the gateway has nobody to ask', (line) => process.stderr.write(`${line}\n`)),
  });
  const gateway = await startGateway({
    host: options.host,
    port: options.port,
    upstream: endpointUpstream(options, values.profile),
    ...(configs.length > 0 && { toolset: servers.toolset }),
    // Tools a server's entry does not allow ("approval": "never") are refused when they need approval.
    needsApproval: needsApprovalFor(configs),
    ...(keys && { keys }),
    ...(values['allowed-host'] && { allowedHosts: values['allowed-host'] }),
    exposeToolTraffic: values['expose-tool-traffic'] ?? false,
    prices: loadPrices(process.env['MCP_BEDROCK_PRICES']),
  }).catch(async (error: unknown) => {
    await servers.close();
    throw new CliError('GATEWAY_START', (error as Error).message, 1);
  });
  const tools = servers.toolset.list().length;
  process.stdout.write(
    `Bedrock gateway on ${gateway.url} (HTTP/1.1 and h2c) ` +
      `→ ${upstreamLabel(options)}; ` +
      `${tools > 0 ? `adds ${tools} MCP tools` : 'pass-through'}. Ctrl-C stops it.\n`,
  );
  await untilStopped();
  // Drains (docs/deploy.md): requests in flight, tool loops included, finish before the MCP servers close.
  await gateway.shutdown();
  await servers.close();
  return 0;
}
