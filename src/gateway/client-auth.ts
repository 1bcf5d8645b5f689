/** Who may use the gateway: anyone on loopback by default, otherwise holders of a configured key. */
import type { AnyRequest } from '../http/dual-protocol-server.js';

/** A Bedrock API key (`Authorization: Bearer`) or a SigV4 access key id from the allow-list. */
export function clientAllowed(req: AnyRequest, keys: ReadonlySet<string>): boolean {
  if (keys.size === 0) return true;
  const auth = req.headers['authorization'];
  if (typeof auth !== 'string') return false;
  if (auth.startsWith('Bearer ')) return keys.has(auth.slice(7).trim());
  const accessKeyId = /Credential=([^/]+)\//.exec(auth)?.[1];
  return accessKeyId !== undefined && keys.has(accessKeyId);
}
