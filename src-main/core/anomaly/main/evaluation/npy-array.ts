import { ApiError } from '../../../../shared/errors.js';

/** A 1-D NumPy array read from a `.npy` file, its values widened to doubles. */
export interface NpyVector {
  /** The dtype as the header gives it, e.g. `<f4` or `|b1`. */
  dtype: string;
  values: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type Reader = (view: DataView, offset: number) => number;

/** Little-endian (or single-byte) dtypes: reader and item size. */
const READERS: Record<string, { size: number; read: Reader }> = {
  b1: { size: 1, read: (v, o) => v.getUint8(o) },
  u1: { size: 1, read: (v, o) => v.getUint8(o) },
  i1: { size: 1, read: (v, o) => v.getInt8(o) },
  u2: { size: 2, read: (v, o) => v.getUint16(o, true) },
  i2: { size: 2, read: (v, o) => v.getInt16(o, true) },
  u4: { size: 4, read: (v, o) => v.getUint32(o, true) },
  i4: { size: 4, read: (v, o) => v.getInt32(o, true) },
  u8: { size: 8, read: (v, o) => Number(v.getBigUint64(o, true)) },
  i8: { size: 8, read: (v, o) => Number(v.getBigInt64(o, true)) },
  f2: { size: 2, read: (v, o) => halfToNumber(v.getUint16(o, true)) },
  f4: { size: 4, read: (v, o) => v.getFloat32(o, true) },
  f8: { size: 8, read: (v, o) => v.getFloat64(o, true) },
};

function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function fail(name: string, reason: string): never {
  throw new ApiError('INVALID_PARAMS', `${name} is not a NumPy array file we can read: ${reason}.`);
}

function headerField(header: string, key: string, pattern: string): string | undefined {
  return new RegExp(`['"]${key}['"]\\s*:\\s*${pattern}`).exec(header)?.[1];
}

/** Parses the header dict, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (120,), }`. */
function parseHeader(header: string, name: string): { dtype: string; length: number } {
  const dtype = headerField(header, 'descr', `['"]([^'"]*)['"]`);
  if (dtype === undefined) {
    fail(name, /['"]descr['"]\s*:\s*\[/.test(header) ? 'it holds a structured (record) array' : 'its header has no dtype');
  }
  const shapeText = headerField(header, 'shape', '\\(([^)]*)\\)');
  if (shapeText === undefined) fail(name, 'its header has no shape');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) fail(name, `its shape (${shapeText}) is not a list of sizes`);
  if (shape.length !== 1) {
    fail(name, `ground truth must be a 1-D array with one value per frame, but its shape is (${shapeText.trim()})`);
  }
  return { dtype, length: shape[0]! };
}

function readerFor(dtype: string, name: string): { size: number; read: Reader } {
  const order = dtype[0];
  const kind = dtype.slice(1);
  if (dtype === '|O' || kind === 'O') fail(name, 'it holds Python objects (pickled), which are never loaded');
  if (order === '>') fail(name, `its dtype ${dtype} is big-endian; save it little-endian (numpy's default)`);
  const reader = READERS[kind];
  if ((order !== '<' && order !== '|') || !reader) {
    fail(name, `its dtype ${dtype} is not bool, an integer or a float`);
  }
  return reader;
}

/**
 * Reads a 1-D `.npy` array (format versions 1–3, little-endian bool, integer or float dtypes).
 * `name` names the file in error messages.
 */
export function readNpyVector(bytes: Uint8Array, name: string): NpyVector {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail(name, 'it does not start with \\x93NUMPY');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) fail(name, `its format version ${major}.${bytes[7]} is unknown`);
  const lengthSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthSize) fail(name, 'it ends inside its header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthSize + headerLength;
  if (bytes.length < dataStart) fail(name, 'it ends inside its header');
  const headerBytes = bytes.subarray(8 + lengthSize, dataStart);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  const { dtype, length } = parseHeader(header, name);
  const reader = readerFor(dtype, name);
  const dataBytes = bytes.length - dataStart;
  if (dataBytes !== length * reader.size) {
    fail(
      name,
      `its header promises ${length} values of ${reader.size} byte${reader.size === 1 ? '' : 's'} ` +
        `(${length * reader.size} bytes) but ${dataBytes} bytes follow`,
    );
  }
  const values = new Float64Array(length);
  for (let i = 0; i < length; i++) values[i] = reader.read(view, dataStart + i * reader.size);
  return { dtype, values };
}
