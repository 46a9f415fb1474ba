import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import { HttpError } from './http-error';

export interface BodyLimits {
  /** Bytes accepted on the wire (compressed or not). */
  maxBodyBytes: number;
  /** Bytes accepted after decompression. */
  maxDecompressedBytes: number;
}

/**
 * Reads a request body within its limits, decompressing gzip or deflate as it streams so that a
 * small compressed bomb is stopped as soon as it passes the decompressed limit.
 */
export async function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
    req.resume();
    throw tooLarge('body', declared, limits.maxBodyBytes);
  }
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  let inflater: Gunzip | Inflate | null = null;
  if (encoding === 'gzip' || encoding === 'x-gzip') inflater = createGunzip();
  else if (encoding === 'deflate') inflater = createInflate();
  else if (encoding !== 'identity' && encoding !== '') {
    req.resume();
    throw new HttpError(415, `unsupported content encoding "${encoding}": use gzip, deflate or none`);
  }

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wire = 0;
    let out = 0;
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      req.unpipe();
      req.resume();
      inflater?.destroy();
      reject(err);
    };
    const collect = (chunk: Buffer) => {
      out += chunk.length;
      if (out > limits.maxDecompressedBytes) {
        fail(tooLarge('decompressed body', out, limits.maxDecompressedBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', (chunk: Buffer) => {
      wire += chunk.length;
      if (wire > limits.maxBodyBytes) fail(tooLarge('body', wire, limits.maxBodyBytes));
    });
    req.on('error', fail);
    if (inflater) {
      req.pipe(inflater);
      inflater.on('data', collect);
      inflater.on('error', (e) => fail(new HttpError(400, `body is not valid ${encoding}: ${e.message}`)));
      inflater.on('end', () => {
        if (!done) {
          done = true;
          resolve(Buffer.concat(chunks));
        }
      });
    } else {
      req.on('data', collect);
      req.on('end', () => {
        if (!done) {
          done = true;
          resolve(Buffer.concat(chunks));
        }
      });
    }
  });
}

function tooLarge(what: string, size: number, limit: number): HttpError {
  return new HttpError(413, `${what} of ${size} bytes is over the limit of ${limit} bytes`);
}
