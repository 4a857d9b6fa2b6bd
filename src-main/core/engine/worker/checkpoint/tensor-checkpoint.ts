/**
 * A run's checkpoint on disk: one file under `runDir/checkpoint/`, replaced atomically (written
 * beside it, flushed, renamed over it), so a kill at any moment leaves either the previous
 * checkpoint or the new one, never half of one. Each pipeline declares its format (magic, file name,
 * tensor groups) and a schema its state is checked against when read (`checkpointFile`).
 *
 * Layout: 8 bytes magic, u32 little-endian header length, the JSON header, then the raw
 * little-endian tensor bytes the header points at.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';

const FORMAT = 1;
export const CHECKPOINT_DIR = 'checkpoint';

export interface CheckpointTensor {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface CheckpointFormat<G extends string> {
  /** 8 latin1 characters that open the file. */
  magic: string;
  /** What the file is called in runDir/checkpoint. */
  file: string;
  /** The tensor groups, in file order. */
  groups: readonly G[];
  /** Said in errors: "not a VSSL <what>". */
  what: string;
}

export interface TensorCheckpoint<S, G extends string> {
  state: S;
  tensors: Record<G, CheckpointTensor[]>;
}

interface TensorEntry {
  group: string;
  name: string;
  dtype: CheckpointTensor['dtype'];
  shape: number[];
  offset: number;
  byteLength: number;
}

interface Header {
  format: number;
  savedAt: string;
  state: unknown;
  tensors: TensorEntry[];
}

export function tensorCheckpointPath(runDir: string, format: CheckpointFormat<string>): string {
  return path.join(runDir, CHECKPOINT_DIR, format.file);
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export async function writeTensorCheckpoint<S, G extends string>(
  runDir: string,
  format: CheckpointFormat<G>,
  checkpoint: TensorCheckpoint<S, G>,
): Promise<void> {
  const entries: TensorEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const group of format.groups) {
    for (const t of checkpoint.tensors[group]) {
      if (t.data.length !== elementCount(t.shape)) {
        throw new Error(`checkpoint tensor ${group}/${t.name} has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
      }
      const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      entries.push({ group, name: t.name, dtype: t.dtype, shape: t.shape, offset, byteLength: bytes.byteLength });
      chunks.push(bytes);
      offset += bytes.byteLength;
    }
  }
  const header: Header = { format: FORMAT, savedAt: new Date().toISOString(), state: checkpoint.state, tensors: entries };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(format.magic.length + 4);
  prefix.write(format.magic, 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.byteLength, format.magic.length);

  const finalPath = tensorCheckpointPath(runDir, format);
  const dir = path.dirname(finalPath);
  await fs.mkdir(dir, { recursive: true });
  // A write cut off by a kill leaves its temp file; the next write clears it.
  for (const name of await fs.readdir(dir)) {
    if (name.startsWith(`${format.file}.partial-`)) await fs.rm(path.join(dir, name), { force: true });
  }
  const tempPath = `${finalPath}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  const file = await fs.open(tempPath, 'w');
  try {
    await file.writev([prefix, headerBytes, ...chunks]);
    await file.sync();
  } catch (error) {
    await file.close();
    await fs.rm(tempPath, { force: true });
    throw error;
  }
  await file.close();
  await fs.rename(tempPath, finalPath);
}

export function damagedCheckpoint(file: string, why: string): Error {
  return new Error(`The checkpoint ${file} is damaged (${why}); start the run again instead of resuming it.`);
}

function parseHeader(file: string, bytes: Buffer, format: CheckpointFormat<string>): { header: Header; dataStart: number } {
  const magic = format.magic;
  if (bytes.byteLength < magic.length + 4 || bytes.toString('latin1', 0, magic.length) !== magic) {
    throw damagedCheckpoint(file, `not a VSSL ${format.what}`);
  }
  const dataStart = magic.length + 4 + bytes.readUInt32LE(magic.length);
  if (dataStart > bytes.byteLength) throw damagedCheckpoint(file, 'the header is cut short');
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', magic.length + 4, dataStart)) as Header;
  } catch {
    throw damagedCheckpoint(file, 'the header is not JSON');
  }
  if (header.format !== FORMAT) throw damagedCheckpoint(file, `format ${String(header.format)}, this version reads ${FORMAT}`);
  if (!Array.isArray(header.tensors)) throw damagedCheckpoint(file, 'the header lists no tensors');
  return { header, dataStart };
}

/** The state alone (the header, without reading the weights), or null when the run has none. */
export async function readTensorCheckpointState<S>(
  runDir: string,
  format: CheckpointFormat<string>,
  parseState: (state: unknown, file: string) => S,
): Promise<S | null> {
  const file = tensorCheckpointPath(runDir, format);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const magic = format.magic;
    const prefix = Buffer.alloc(magic.length + 4);
    await handle.read(prefix, 0, prefix.byteLength, 0);
    const headerLength = prefix.toString('latin1', 0, magic.length) === magic ? prefix.readUInt32LE(magic.length) : 0;
    const head = Buffer.alloc(prefix.byteLength + headerLength);
    await handle.read(head, 0, head.byteLength, 0);
    return parseState(parseHeader(file, head, format).header.state, file);
  } finally {
    await handle.close();
  }
}

/** The whole checkpoint, or null when the run has none. */
export async function readTensorCheckpoint<S, G extends string>(
  runDir: string,
  format: CheckpointFormat<G>,
  parseState: (state: unknown, file: string) => S,
): Promise<TensorCheckpoint<S, G> | null> {
  const file = tensorCheckpointPath(runDir, format);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const { header, dataStart } = parseHeader(file, bytes, format);
  const tensors = Object.fromEntries(format.groups.map((g) => [g, [] as CheckpointTensor[]])) as Record<G, CheckpointTensor[]>;
  for (const entry of header.tensors) {
    const group = tensors[entry.group as G] as CheckpointTensor[] | undefined;
    if (!group) throw damagedCheckpoint(file, `tensor group ${String(entry.group)} is not one of ${format.groups.join(', ')}`);
    const start = dataStart + entry.offset;
    if (start + entry.byteLength > bytes.byteLength) throw damagedCheckpoint(file, `tensor ${entry.group}/${entry.name} is cut short`);
    // A copy: the typed array needs its own aligned buffer.
    const raw = bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + entry.byteLength);
    const data = entry.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw);
    if (data.length !== elementCount(entry.shape)) throw damagedCheckpoint(file, `tensor ${entry.group}/${entry.name} has the wrong size`);
    group.push({ name: entry.name, dtype: entry.dtype, shape: entry.shape, data });
  }
  return { state: parseState(header.state, file), tensors };
}

/** A pipeline's checkpoint file: its format, and its state checked against `schema` whenever it is read. */
export interface CheckpointFile<S, G extends string> {
  path: (runDir: string) => string;
  write: (runDir: string, checkpoint: TensorCheckpoint<S, G>) => Promise<void>;
  /** The whole checkpoint, or null when the run has none. */
  read: (runDir: string) => Promise<TensorCheckpoint<S, G> | null>;
  /** The state alone (without reading the weights), or null when the run has none. */
  readState: (runDir: string) => Promise<S | null>;
}

export function checkpointFile<S, G extends string>(format: CheckpointFormat<G>, schema: z.ZodType<S>): CheckpointFile<S, G> {
  const parseState = (state: unknown, file: string): S => {
    const parsed = schema.safeParse(state);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw damagedCheckpoint(file, `unexpected header: ${issue ? `${issue.path.join('.') || 'state'}: ${issue.message}` : 'invalid'}`);
  };
  return {
    path: (runDir) => tensorCheckpointPath(runDir, format),
    write: (runDir, checkpoint) => writeTensorCheckpoint(runDir, format, checkpoint),
    read: (runDir) => readTensorCheckpoint(runDir, format, parseState),
    readState: (runDir) => readTensorCheckpointState(runDir, format, parseState),
  };
}
