/**
 * What must never reach a recording on disk: AWS access key ids, secret keys and session tokens, SigV4
 * signatures, Bedrock API keys and AWS account ids (docs/emulator.md, "What a recording never holds"). Request
 * headers are not recorded at all; this pass cleans everything else (bodies, model ids, response headers).
 */

/** The labels a secret access key goes by in configs, environments and SDK objects. */
const SECRET_LABEL = /(?:aws_secret_access_key|secretAccessKey|AWS_SECRET_ACCESS_KEY|SecretAccessKey)/.source;

const PATTERNS: readonly [RegExp, string][] = [
  // SigV4: the whole credential scope and signature, wherever a header value or URL leaked into a body.
  [/AWS4-HMAC-SHA256\s+Credential=[^\s"]+(?:,\s*SignedHeaders=[^\s,"]+)?(?:,\s*Signature=[0-9a-f]+)?/g, '[REDACTED]'],
  [/\b(Signature|X-Amz-Signature)=[0-9a-fA-F]{16,}/g, '$1=[REDACTED]'],
  [/\b(X-Amz-Credential|X-Amz-Security-Token)=[^&\s"]+/g, '$1=[REDACTED]'],
  // Access key ids (long-term AKIA, temporary ASIA, and the other documented prefixes).
  [/\b(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z0-9]{16}\b/g, '[REDACTED-ACCESS-KEY-ID]'],
  // Session tokens start with a fixed base64 header (IQoJb3JpZ2luX2Vj…, FwoGZXIvYXdz…).
  [/\b(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9+/=]{16,}/g, '[REDACTED-SESSION-TOKEN]'],
  // Bedrock API keys: long-term ABSK…, short-term bedrock-api-key-….
  [/\bABSK[A-Za-z0-9+/=_-]{8,}/g, '[REDACTED-API-KEY]'],
  [/\bbedrock-api-key-[A-Za-z0-9+/=_-]{8,}/g, '[REDACTED-API-KEY]'],
  // A secret access key is only recognisable by its label.
  [new RegExp(String.raw`(${SECRET_LABEL}["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}`, 'g'), '$1[REDACTED]'],
  // Account ids inside ARNs (inference profiles, provisioned models, S3 buckets with owners).
  [/(arn:aws[\w-]*:[\w-]*:[\w-]*:)\d{12}(?=:)/g, '$1000000000000'],
];

/** Keys whose value is an account id or a credential whatever it looks like. */
const SECRET_KEYS = new Set([
  'bucketOwner',
  'accountId',
  'awsAccountId',
  'secretAccessKey',
  'sessionToken',
  'accessKeyId',
]);

/** A string with every known secret shape, and the given exact values, replaced. */
export function scrubText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('[REDACTED]');
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A JSON value with `scrubText` applied to every string and secret-bearing keys blanked. */
export function scrubJson<T>(value: T, secrets: readonly string[] = []): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key !== undefined && SECRET_KEYS.has(key) ? '[REDACTED]' : scrubText(v, secrets);
    if (Array.isArray(v)) return v.map((item) => walk(item));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, k)]));
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * The exact credential values a signed request carries (access key id, session token, bearer key), so they are
 * removed even where no pattern would recognise them.
 */
export function secretsOfHeaders(headers: Record<string, unknown>): string[] {
  const get = (name: string): string | undefined => {
    const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
    const value = entry?.[1];
    return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
  };
  const secrets: string[] = [];
  const auth = get('authorization');
  const credential = auth ? /Credential=([^/\s,]+)/.exec(auth)?.[1] : undefined;
  if (credential) secrets.push(credential);
  if (auth?.startsWith('Bearer ')) secrets.push(auth.slice('Bearer '.length).trim());
  const token = get('x-amz-security-token');
  if (token) secrets.push(token);
  return secrets;
}
