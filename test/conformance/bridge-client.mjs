#!/usr/bin/env node
// The client the MCP conformance suite's client scenarios run (`node .ci/conformance.mjs`): the URL of the
// suite's mock server is the last argument, the scenario is in MCP_CONFORMANCE_SCENARIO, and credentials for
// some auth scenarios are in MCP_CONFORMANCE_CONTEXT. It uses the built package's public API only: McpHub with
// one HTTP server and an OAuth provider (the bridge's OAuthProvider; the SDK's providers for the grants a user
// brings their own provider for). docs/protocol-eras.md lists what each scenario checks.
import {
  ClientCredentialsProvider,
  CrossAppAccessProvider,
  PrivateKeyJwtProvider,
  requestJwtAuthorizationGrant,
} from '@modelcontextprotocol/client';
import { McpHub, OAuthProvider } from 'mcp-bedrock-bridge';

const url = process.argv.at(-1);
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}');
const REDIRECT = 'http://localhost:3000/callback';
/** The suite's authorization servers accept this Client ID Metadata Document URL without fetching it. */
const CIMD = 'https://conformance-test.local/client-metadata.json';

/**
 * The "browser" of these scenarios: the suite's authorization server approves at once and redirects, so
 * following the authorization URL without redirects yields the redirect's query.
 */
async function openAuthorization(authorizationUrl) {
  const response = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (!location) throw new Error(`no redirect from ${authorizationUrl.origin}`);
  return new URL(location).searchParams;
}

function provider() {
  switch (scenario) {
    case 'auth/client-credentials-basic':
      return new ClientCredentialsProvider({ clientId: context.client_id, clientSecret: context.client_secret });
    case 'auth/client-credentials-jwt':
      return new PrivateKeyJwtProvider({
        clientId: context.client_id,
        privateKey: context.private_key_pem,
        algorithm: context.signing_algorithm ?? 'ES256',
      });
    case 'auth/cross-app-access-complete-flow':
      return new CrossAppAccessProvider({
        clientId: context.client_id,
        clientSecret: context.client_secret,
        assertion: async (auth) =>
          (
            await requestJwtAuthorizationGrant({
              tokenEndpoint: context.idp_token_endpoint,
              audience: auth.authorizationServerUrl,
              resource: auth.resourceUrl,
              idToken: context.idp_id_token,
              clientId: context.idp_client_id,
              fetchFn: auth.fetchFn,
            })
          ).jwtAuthGrant,
      });
    case 'auth/pre-registration':
      return new OAuthProvider({
        redirectUrl: REDIRECT,
        openAuthorization,
        clientId: context.client_id,
        clientSecret: context.client_secret,
      });
    default:
      return new OAuthProvider({ redirectUrl: REDIRECT, openAuthorization, clientMetadataUrl: CIMD });
  }
}

const hub = new McpHub([{ name: 'conformance', transport: 'http', url, authProvider: provider() }], {
  // Accepting with no content: the SDK fills in the form's defaults (elicitation-sep1034-client-defaults).
  elicitation: async () => ({ action: 'accept', content: {} }),
  connectTimeoutMs: 20_000,
});
try {
  await hub.start();
  const state = await hub.whenSettled('conformance');
  if (state.status !== 'connected') throw new Error(`not connected: ${state.error}`);
  for (const tool of state.tools) {
    const args = tool.name === 'add_numbers' ? { a: 5, b: 3 } : {};
    const result = await hub.callTool('conformance', tool.name, args);
    console.log(tool.name, JSON.stringify(result).slice(0, 200));
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await hub.close();
}
