/** `mcp-bedrock gateway`: a Bedrock-compatible endpoint that adds the configured MCP servers' tools. */
import { loadPrices } from '../../runtime/prices.js';
import { z } from 'zod';
import { configuredServers } from '../../config/index.js';
import { loadClientKeys, startGateway, upstreamFrom } from '../../gateway/index.js';
import { createRecorder } from '../../recording/index.js';
import { CliError } from '../cli-error.js';
import { withOAuth } from '../../oauth/server-auth.js';
import { connectServers } from '../../runtime/connect-servers.js';
import { declineElicitation } from '../../runtime/elicitation.js';
import { needsApprovalFor } from '../../../bridge/entries/config.js';
import { HELP } from '../help.js';
import { parseCommandLine, portOption } from '../options.js';

const Options = z.object({
  port: portOption(8788),
  host: z.string().default('127.0.0.1'),
  upstream: z.url('--upstream expects a URL, e.g. https://bedrock-runtime.us-east-1.amazonaws.com').optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, '--region expects an AWS region such as us-east-1')
    .optional(),
  record: z.string().min(1, '--record expects a folder for the recordings').optional(),
});

export async function gatewayCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    upstream: { type: 'string' },
    region: { type: 'string' },
    profile: { type: 'string' },
    key: { type: 'string', multiple: true },
    keys: { type: 'string' },
    'allowed-host': { type: 'string', multiple: true },
    config: { type: 'string', short: 'c' },
    'no-mcp': { type: 'boolean' },
    'expose-tool-traffic': { type: 'boolean' },
    record: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
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
  const parsed = Options.safeParse({ ...values, region: values.region ?? process.env['AWS_REGION'] });
  if (!parsed.success) throw new CliError('CLI_BAD_OPTION', parsed.error.issues.map((i) => i.message).join('; '));
  const configs = values['no-mcp'] ? [] : await configuredServers(values.config);
  const warn = (m: string): boolean => process.stderr.write(`! ${m}\n`);
  const keys = values.keys
    ? await loadClientKeys(values.keys, warn).catch((error: Error) => {
        throw new CliError('CLI_BAD_OPTION', error.message);
      })
    : undefined;
  // OAuth without a person: client_credentials entries, or tokens from "mcp-bedrock auth login".
  const servers = await connectServers(withOAuth(configs, { mode: 'refuse', notice: warn }), {
    onWarning: (m) => process.stderr.write(`! ${m}\n`),
    elicitation: declineElicitation('the gateway has nobody to ask', (line) => process.stderr.write(`${line}\n`)),
  });
  const gateway = await startGateway({
    host: parsed.data.host,
    port: parsed.data.port,
    upstream: upstreamFrom({
      ...(parsed.data.region && { region: parsed.data.region }),
      ...(parsed.data.upstream && { endpoint: parsed.data.upstream }),
      ...(values.profile && { profile: values.profile }),
      ...(parsed.data.record && { recorder: createRecorder(parsed.data.record) }),
    }),
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
      `→ ${parsed.data.upstream ?? `Bedrock ${parsed.data.region ?? 'us-east-1'}`}; ` +
      `${tools > 0 ? `adds ${tools} MCP tools` : 'pass-through'}. Ctrl-C stops it.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  // Drains (docs/deploy.md): requests in flight, tool loops included, finish before the MCP servers close.
  await gateway.shutdown();
  await servers.close();
  return 0;
}
