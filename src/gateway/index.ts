/** Gateway mode: a Bedrock-compatible endpoint that adds MCP tools. */
export { startGateway } from './gateway.js';
export type { Gateway, GatewayOptions } from './gateway.js';
export type { AccessKeyPair, ClientKeys } from './client-auth.js';
export { KeysFileError, loadClientKeys } from './client-keys.js';
export { upstreamFrom } from './upstream.js';
export type { Upstream, UpstreamOptions } from './upstream.js';
