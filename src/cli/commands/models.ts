/**
 * `mcp-bedrock models`: the region's foundation models and inference profiles (Bedrock's ListFoundationModels
 * and ListInferenceProfiles through @aws-sdk/client-bedrock), marking tool use (native or prompt-based, from
 * the bridge's capability table) and tool use while streaming, with list prices where the table has them.
 */
import { capabilitiesFor, offlineCredentials, toModelCallError } from '../../../bridge/entries/converse.js';
import { priceFor } from '../../../bridge/index.js';
import { loadPrices } from '../../runtime/prices.js';
import { checkProfile } from '../../runtime/model-client.js';
import { CliError } from '../cli-error.js';
import { HELP } from '../help.js';
import { parseCommandLine } from '../options.js';

interface Row {
  id: string;
  name: string;
  provider: string;
  kind: 'model' | 'profile';
  streaming?: boolean;
  /** `native`, `prompt` (tools described in text) or `none` (not a text model). */
  toolUse: 'native' | 'prompt' | 'none';
  streamingToolUse: boolean;
  price?: { input: number; output: number };
}

/** Exit code 0; 1 when Bedrock cannot be asked (credentials, network: the error says which). */
export async function modelsCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    argv,
    {
      region: { type: 'string' },
      endpoint: { type: 'string' },
      profile: { type: 'string' },
      provider: { type: 'string' },
      prices: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    'models',
  );
  if (values.help) {
    process.stdout.write(`${HELP['models']}\n`);
    return 0;
  }
  const env = process.env;
  const region = values.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const endpoint = values.endpoint ?? env['MCP_BEDROCK_ENDPOINT'];
  if (endpoint && !/^https?:\/\//.test(endpoint))
    throw new CliError('CLI_BAD_OPTION', '--endpoint expects a URL such as http://127.0.0.1:8787');
  if (values.profile) await checkProfile(values.profile, env);
  const prices = loadPrices(values.prices ?? env['MCP_BEDROCK_PRICES']);
  const { BedrockClient, ListFoundationModelsCommand, ListInferenceProfilesCommand } = await import(
    '@aws-sdk/client-bedrock'
  );
  const credentials = offlineCredentials(endpoint, { profile: values.profile }, env);
  const client = new BedrockClient({
    region,
    ...(endpoint && { endpoint }),
    ...(credentials && { credentials }),
    ...(values.profile && { profile: values.profile }),
  });
  let rows: Row[];
  try {
    const [models, profiles] = await Promise.all([
      client.send(new ListFoundationModelsCommand({ ...(values.provider && { byProvider: values.provider }) })),
      collectProfiles(client, ListInferenceProfilesCommand),
    ]);
    const textModel = new Set(
      (models.modelSummaries ?? []).filter((m) => m.outputModalities?.includes('TEXT')).map((m) => m.modelId),
    );
    const describe = (id: string, text: boolean): Pick<Row, 'toolUse' | 'streamingToolUse' | 'price'> => {
      if (!text) return { toolUse: 'none', streamingToolUse: false };
      const caps = capabilitiesFor(id);
      const price = priceFor(id, prices)?.price;
      return {
        toolUse: caps.toolUse,
        streamingToolUse: caps.toolUse === 'native' && caps.streamingTools,
        ...(price && { price: { input: price.input, output: price.output } }),
      };
    };
    rows = [
      ...(models.modelSummaries ?? []).map((m) => ({
        id: m.modelId ?? '',
        name: m.modelName ?? '',
        provider: m.providerName ?? '',
        kind: 'model' as const,
        streaming: m.responseStreamingSupported ?? false,
        ...describe(m.modelId ?? '', textModel.has(m.modelId)),
      })),
      ...profiles
        .filter((p) => !values.provider || p.models.some((arn) => textModel.has(arn.split('/').pop())))
        .map((p) => ({
          id: p.id,
          name: p.name,
          provider: '',
          kind: 'profile' as const,
          ...describe(
            p.id,
            p.models.some((arn) => textModel.has(arn.split('/').pop())),
          ),
        })),
    ];
  } catch (error) {
    // Named and hinted as a model call's failure is (missing credentials, a host that does not resolve, access).
    throw toModelCallError(error, `Bedrock ${region}`);
  } finally {
    client.destroy();
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ region, priceDate: prices.date, models: rows }, null, 2)}\n`);
    return 0;
  }
  const tools = (r: Row): string =>
    r.toolUse === 'none'
      ? '-'
      : r.toolUse === 'prompt'
        ? 'prompt-based'
        : r.streamingToolUse
          ? 'yes, streaming'
          : 'yes (not streaming)';
  const priceText = (r: Row): string => (r.price ? `$${r.price.input} / $${r.price.output}` : '');
  const width = Math.max(10, ...rows.map((r) => r.id.length));
  const print = (title: string, list: Row[]): void => {
    if (list.length === 0) return;
    process.stdout.write(`${title}\n  ${'id'.padEnd(width)}  ${'tool use'.padEnd(19)}  price in/out per 1M tokens\n`);
    for (const r of list) process.stdout.write(`  ${r.id.padEnd(width)}  ${tools(r).padEnd(19)}  ${priceText(r)}\n`);
  };
  print(
    `Foundation models in ${region}:`,
    rows.filter((r) => r.kind === 'model'),
  );
  print(
    '\nInference profiles (use these ids where a model needs one):',
    rows.filter((r) => r.kind === 'profile'),
  );
  process.stdout.write(`\nPrices: on-demand list prices of ${prices.date}, an estimate (see --prices).\n`);
  return 0;
}

async function collectProfiles(
  client: { send(command: unknown): Promise<unknown> },
  Command: new (input: { nextToken?: string; maxResults?: number }) => unknown,
): Promise<{ id: string; name: string; models: string[] }[]> {
  const out: { id: string; name: string; models: string[] }[] = [];
  let nextToken: string | undefined;
  do {
    const page = (await client.send(new Command({ maxResults: 1000, ...(nextToken && { nextToken }) }))) as {
      inferenceProfileSummaries?: {
        inferenceProfileId?: string;
        inferenceProfileName?: string;
        models?: { modelArn?: string }[];
      }[];
      nextToken?: string;
    };
    for (const p of page.inferenceProfileSummaries ?? [])
      out.push({
        id: p.inferenceProfileId ?? '',
        name: p.inferenceProfileName ?? '',
        models: (p.models ?? []).map((m) => m.modelArn ?? ''),
      });
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}
