/**
 * Bedrock's control plane, the two read-only operations `mcp-bedrock models` needs, so the model list works
 * offline: `GET /foundation-models` (ListFoundationModels, filters byProvider, byOutputModality,
 * byInferenceType, byCustomizationType) and `GET /inference-profiles` (ListInferenceProfiles: maxResults,
 * nextToken, type). Shapes and fields follow the AWS API reference (docs/bedrock-control-plane.md); the
 * catalogue is a sample of real model ids, each served in us-east-1 with its system-defined profiles.
 */
import type { AnyRequest, AnyResponse } from '../http/dual-protocol-server.js';

interface CatalogueModel {
  id: string;
  name: string;
  provider: string;
  input: string[];
  streaming: boolean;
  /** Geographies with a system-defined cross-region inference profile (`us.` / `global.` ids). */
  profiles: ('us' | 'global')[];
  /** ON_DEMAND, or INFERENCE_PROFILE for models callable only through a profile. */
  inference: 'ON_DEMAND' | 'INFERENCE_PROFILE';
}

const TEXT_IMAGE = ['TEXT', 'IMAGE'];
const CATALOGUE: CatalogueModel[] = [
  {
    id: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
    name: 'Claude Sonnet 4.5',
    provider: 'Anthropic',
    input: TEXT_IMAGE,
    streaming: true,
    profiles: ['us', 'global'],
    inference: 'INFERENCE_PROFILE',
  },
  {
    id: 'anthropic.claude-haiku-4-5-20251001-v1:0',
    name: 'Claude Haiku 4.5',
    provider: 'Anthropic',
    input: TEXT_IMAGE,
    streaming: true,
    profiles: ['us', 'global'],
    inference: 'INFERENCE_PROFILE',
  },
  {
    id: 'anthropic.claude-3-5-haiku-20241022-v1:0',
    name: 'Claude 3.5 Haiku',
    provider: 'Anthropic',
    input: ['TEXT'],
    streaming: true,
    profiles: ['us'],
    inference: 'ON_DEMAND',
  },
  {
    id: 'anthropic.claude-3-haiku-20240307-v1:0',
    name: 'Claude 3 Haiku',
    provider: 'Anthropic',
    input: TEXT_IMAGE,
    streaming: true,
    profiles: ['us'],
    inference: 'ON_DEMAND',
  },
  {
    id: 'amazon.nova-pro-v1:0',
    name: 'Nova Pro',
    provider: 'Amazon',
    input: ['TEXT', 'IMAGE', 'VIDEO'],
    streaming: true,
    profiles: ['us'],
    inference: 'ON_DEMAND',
  },
  {
    id: 'amazon.nova-lite-v1:0',
    name: 'Nova Lite',
    provider: 'Amazon',
    input: ['TEXT', 'IMAGE', 'VIDEO'],
    streaming: true,
    profiles: ['us'],
    inference: 'ON_DEMAND',
  },
  {
    id: 'amazon.nova-micro-v1:0',
    name: 'Nova Micro',
    provider: 'Amazon',
    input: ['TEXT'],
    streaming: true,
    profiles: ['us'],
    inference: 'ON_DEMAND',
  },
  {
    id: 'amazon.titan-text-premier-v1:0',
    name: 'Titan Text G1 - Premier',
    provider: 'Amazon',
    input: ['TEXT'],
    streaming: true,
    profiles: [],
    inference: 'ON_DEMAND',
  },
  {
    id: 'meta.llama3-70b-instruct-v1:0',
    name: 'Llama 3 70B Instruct',
    provider: 'Meta',
    input: ['TEXT'],
    streaming: true,
    profiles: [],
    inference: 'ON_DEMAND',
  },
  {
    id: 'meta.llama3-3-70b-instruct-v1:0',
    name: 'Llama 3.3 70B Instruct',
    provider: 'Meta',
    input: ['TEXT'],
    streaming: true,
    profiles: ['us'],
    inference: 'INFERENCE_PROFILE',
  },
  {
    id: 'mistral.mistral-large-2407-v1:0',
    name: 'Mistral Large (24.07)',
    provider: 'Mistral AI',
    input: ['TEXT'],
    streaming: true,
    profiles: [],
    inference: 'ON_DEMAND',
  },
  {
    id: 'cohere.command-r-plus-v1:0',
    name: 'Command R+',
    provider: 'Cohere',
    input: ['TEXT'],
    streaming: true,
    profiles: [],
    inference: 'ON_DEMAND',
  },
  {
    id: 'amazon.titan-embed-text-v2:0',
    name: 'Titan Text Embeddings V2',
    provider: 'Amazon',
    input: ['TEXT'],
    streaming: false,
    profiles: [],
    inference: 'ON_DEMAND',
  },
];

const REGION = 'us-east-1';
const modelArn = (id: string): string => `arn:aws:bedrock:${REGION}::foundation-model/${id}`;

function summary(m: CatalogueModel): object {
  return {
    modelArn: modelArn(m.id),
    modelId: m.id,
    modelName: m.name,
    providerName: m.provider,
    inputModalities: m.input,
    outputModalities: [m.id.includes('embed') ? 'EMBEDDING' : 'TEXT'],
    responseStreamingSupported: m.streaming,
    customizationsSupported: [],
    inferenceTypesSupported: [m.inference],
    modelLifecycle: { status: 'ACTIVE' },
  };
}

function profiles(): object[] {
  return CATALOGUE.flatMap((m) =>
    m.profiles.map((geo) => {
      const id = `${geo}.${m.id}`;
      const regions = geo === 'us' ? ['us-east-1', 'us-east-2', 'us-west-2'] : [REGION];
      return {
        inferenceProfileName: `${geo === 'us' ? 'US' : 'Global'} ${m.name}`,
        description: `Routes requests to ${m.name} in ${geo === 'us' ? 'US regions' : 'any commercial region'}.`,
        createdAt: '2025-01-01T00:00:00Z',
        updatedAt: '2025-01-01T00:00:00Z',
        inferenceProfileArn: `arn:aws:bedrock:${REGION}:000000000000:inference-profile/${id}`,
        models: regions.map((r) => ({ modelArn: `arn:aws:bedrock:${r}::foundation-model/${m.id}` })),
        inferenceProfileId: id,
        status: 'ACTIVE',
        type: 'SYSTEM_DEFINED',
      };
    }),
  );
}

function send(res: AnyResponse, status: number, body: object): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Answers a control-plane request and returns true; false for anything else (the runtime routes go on). */
export function controlPlane(req: AnyRequest, res: AnyResponse): boolean {
  if (req.method !== 'GET') return false;
  const url = new URL(req.url ?? '/', 'http://emulator');
  if (url.pathname === '/foundation-models') {
    const q = url.searchParams;
    const models = CATALOGUE.filter(
      (m) =>
        (!q.get('byProvider') || m.provider.toLowerCase() === q.get('byProvider')?.toLowerCase()) &&
        (!q.get('byOutputModality') || summaryOutput(m) === q.get('byOutputModality')) &&
        (!q.get('byInferenceType') || m.inference === q.get('byInferenceType')) &&
        !q.get('byCustomizationType'),
    );
    send(res, 200, { modelSummaries: models.map(summary) });
    return true;
  }
  if (url.pathname === '/inference-profiles') {
    const q = url.searchParams;
    const all = q.get('type') === 'APPLICATION' ? [] : profiles();
    const start = Number(q.get('nextToken') ?? 0) || 0;
    const size = Math.min(Math.max(Number(q.get('maxResults') ?? 1000) || 1000, 1), 1000);
    const page = all.slice(start, start + size);
    send(res, 200, {
      inferenceProfileSummaries: page,
      ...(start + size < all.length && { nextToken: String(start + size) }),
    });
    return true;
  }
  return false;
}

function summaryOutput(m: CatalogueModel): string {
  return m.id.includes('embed') ? 'EMBEDDING' : 'TEXT';
}
