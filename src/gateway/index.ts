/** Gateway mode: a Bedrock-compatible endpoint that adds MCP tools. */
export { startGateway } from './gateway.js';
export type { Gateway, GatewayOptions } from './gateway.js';
export { upstreamFrom } from './upstream.js';
export type { Upstream, UpstreamOptions } from './upstream.js';
