/**
 * Request bodies read with a size limit. Bedrock documents 25,000,000 bytes as the largest request body it takes
 * (docs/security.md, "Request size"); the emulator and the gateway answer 413 beyond it, checked on the declared
 * `content-length` before reading and on the bytes as they arrive, so an oversized body is never held in memory.
 */
import { BedrockError } from './bedrock-errors.js';
import type { IncomingMessage } from 'node:http';
import type { AnyRequest } from './dual-protocol-server.js';

/** The largest request body Bedrock accepts, in bytes. */
export const MAX_REQUEST_BYTES = 25_000_000;

/** Thrown (and answered as 413) when a body is larger than the limit. */
export function tooLarge(limit: number): BedrockError {
  return new BedrockError('ValidationException', `Request exceeds the maximum allowed size of ${limit} bytes.`, 413);
}

/**
 * The whole body of a request or response. With a `limit`, rejects with `tooLarge` as soon as the declared or
 * received length passes it; the rest is read and dropped, never buffered, so the connection can still carry the
 * 413 (a destroyed request could not).
 */
export function readBody(req: AnyRequest | IncomingMessage, limit?: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    let over = limit !== undefined && Number.isFinite(declared) && declared > limit;
    if (over) reject(tooLarge(limit as number));
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      length += chunk.length;
      if (limit !== undefined && length > limit) {
        over = true;
        chunks.length = 0;
        reject(tooLarge(limit));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
