import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';

export const SAMPLE_BYTES = 1024 * 1024;
const HASH_PREFIX = 'sampled-sha256:';

/**
 * A content hash for dedupe and relinking that reads at most 3 MiB of any file:
 * sha256 over the size and the first, middle and last MiB (the whole file when it is smaller
 * than that). Two different videos of the same size that agree in all three samples would
 * collide; for camera footage, where the samples hold different compressed frames, that does
 * not happen in practice, and it keeps importing multi-GB files fast.
 */
export async function sampledContentHash(file: string, signal?: AbortSignal): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const hash = createHash('sha256');
    hash.update(`size:${size}\n`);
    const buffer = Buffer.allocUnsafe(SAMPLE_BYTES);
    for (const [start, length] of sampleRanges(size)) {
      signal?.throwIfAborted();
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(SAMPLE_BYTES, length - done), start + done);
        if (bytesRead === 0) break; // the file shrank while we read it; hash what is there
        hash.update(buffer.subarray(0, bytesRead));
        done += bytesRead;
      }
    }
    return HASH_PREFIX + hash.digest('hex');
  } finally {
    await handle.close();
  }
}

/** Byte ranges [start, length] that the hash covers. */
export function sampleRanges(size: number): [number, number][] {
  if (size <= 3 * SAMPLE_BYTES) return [[0, size]];
  const middle = Math.floor((size - SAMPLE_BYTES) / 2);
  return [
    [0, SAMPLE_BYTES],
    [middle, SAMPLE_BYTES],
    [size - SAMPLE_BYTES, SAMPLE_BYTES],
  ];
}

/** The hex digest alone: safe as a cache file name. */
export function hashFileStem(hash: string): string {
  const hex = hash.startsWith(HASH_PREFIX) ? hash.slice(HASH_PREFIX.length) : hash;
  if (!/^[0-9a-f]{16,}$/.test(hex)) throw new Error(`Not a content hash: ${hash}`);
  return hex;
}
