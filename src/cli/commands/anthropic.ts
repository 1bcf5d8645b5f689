/** `mcp-bedrock anthropic`: the Anthropic Messages API in front of Bedrock, with programmatic tool calling. */
import { z } from 'zod';
import { needsApprovalFor } from '../../../bridge/entries/config.js';
import { loadModelNames, startAnthropicServer } from '../../anthropic/index.js';
import { configuredServers } from '../../config/index.js';
import { loadClientKeys, upstreamFrom } from '../../gateway/index.js';
import { WireModelClient } from '../../gateway/wire-model-client.js';
import { createRecorder } from '../../recording/index.js';
import { connectServers } from '../../runtime/connect-servers.js';
import { CliError } from '../cli-error.js';
import { HELP } from '../help.js';
import { parseCommandLine, portOption } from '../options.js';

const Options = z.object({
  port: portOption(8789),
  host: z.string().default('127.0.0.1'),
  upstream: z.url('--upstream expects a URL, e.g. https://bedrock-runtime.us-east-1.amazonaws.com').optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, '--region expects an AWS region such as us-east-1')
    .optional(),
  record: z.string().min(1, '--record expects a folder for the recordings').optional(),
  'container-idle': z.coerce
    .number('--container-idle expects whole seconds from 1 to 3600')
    .int('--container-idle expects whole seconds from 1 to 3600')
    .min(1, '--container-idle expects whole seconds from 1 to 3600')
    .max(3600, '--container-idle expects whole seconds from 1 to 3600')
    .optional(),
});

export async function anthropicCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    upstream: { type: 'string' },
    region: { type: 'string' },
    profile: { type: 'string' },
    keys: { type: 'string' },
    models: { type: 'string' },
    'allowed-host': { type: 'string', multiple: true },
    config: { type: 'string', short: 'c' },
    mcp: { type: 'boolean' },
    'no-code-execution': { type: 'boolean' },
    'allow-unisolated-sandbox': { type: 'boolean' },
    record: { type: 'string' },
    'container-idle': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${HELP['anthropic']}\n`);
    return 0;
  }
  const parsed = Options.safeParse({ ...values, region: values.region ?? process.env['AWS_REGION'] });
  if (!parsed.success) throw new CliError('CLI_BAD_OPTION', parsed.error.issues.map((i) => i.message).join('; '));
  const bad = (error: Error): never => {
    throw new CliError('CLI_BAD_OPTION', error.message);
  };
  const warn = (m: string): boolean => process.stderr.write(`! ${m}\n`);
  const keys = values.keys ? await loadClientKeys(values.keys, warn).catch(bad) : undefined;
  const models = values.models ? await loadModelNames(values.models).catch(bad) : undefined;
  // MCP tools are added only when asked for (--mcp or --config): an Anthropic client brings its own tools.
  const configs = values.mcp || values.config ? await configuredServers(values.config) : [];
  const servers = await connectServers(configs, { onWarning: (m) => warn(m) });
  const upstream = upstreamFrom({
    ...(parsed.data.region && { region: parsed.data.region }),
    ...(parsed.data.upstream && { endpoint: parsed.data.upstream }),
    ...(values.profile && { profile: values.profile }),
    ...(parsed.data.record && { recorder: createRecorder(parsed.data.record) }),
  });
  const server = await startAnthropicServer({
    host: parsed.data.host,
    port: parsed.data.port,
    client: new WireModelClient(upstream),
    ...(keys && { keys }),
    ...(models && { models }),
    ...(values['allowed-host'] && { allowedHosts: values['allowed-host'] }),
    ...(configs.length > 0 && { toolset: servers.toolset }),
    needsApproval: needsApprovalFor(configs),
    ...(parsed.data['container-idle'] && { containerIdleMs: parsed.data['container-idle'] * 1000 }),
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
      `→ ${parsed.data.upstream ?? `Bedrock ${parsed.data.region ?? 'us-east-1'}`}; ` +
      `${tools > 0 ? `with ${tools} MCP tools` : 'no MCP tools'}` +
      `${values['no-code-execution'] ? '' : ', code execution in the sandbox'}. Ctrl-C stops it.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await servers.close();
  return 0;
}
